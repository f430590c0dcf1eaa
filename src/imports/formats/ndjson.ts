import { beyond, ImportLimits } from '../import-limits';
import { FormatReader } from './records';
import { MalformedFileError } from './xml';

/**
 * One JSON value a line, fed in pieces: each line is found in time linear in its length, and
 * refused (with its line and column) once longer than the limits, before it is held whole; a
 * line nested deeper than the limit is refused before it is parsed. Blank lines are skipped.
 * `onValue` gets each value with its line number (from 1) and its length.
 */
export class NdjsonReader implements FormatReader {
  /** Lines read so far, blank ones included. */
  line = 0;
  private parts: string[] = [];
  private partsLength = 0;
  private readonly maxLine: number;

  constructor(
    private readonly limits: ImportLimits,
    private readonly onValue: (value: unknown, line: number, length: number) => void,
  ) {
    this.maxLine = Math.min(limits.line, limits.record);
  }

  write(text: string): void {
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      this.add(text.slice(start, newline));
      this.readLine(this.parts.length === 1 ? this.parts[0] : this.parts.join(''));
      this.parts = [];
      this.partsLength = 0;
      start = newline + 1;
    }
    if (start < text.length) this.add(text.slice(start));
  }

  end(): void {
    if (this.parts.length > 0) this.readLine(this.parts.join(''));
    this.parts = [];
    this.partsLength = 0;
  }

  private add(piece: string): void {
    this.parts.push(piece);
    this.partsLength += piece.length;
    if (this.partsLength > this.maxLine) {
      const what = this.limits.line <= this.limits.record ? 'characters on one line' : 'characters in one record';
      throw new MalformedFileError(this.line + 1, this.maxLine + 1, beyond(this.maxLine, what).message);
    }
  }

  private readLine(text: string): void {
    this.line++;
    if (text.trim() === '') return;
    const tooDeep = depthBeyond(text, this.limits.depth);
    if (tooDeep >= 0)
      throw new MalformedFileError(
        this.line,
        tooDeep + 1,
        beyond(this.limits.depth, 'arrays and objects deep').message,
      );
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec((error as Error).message);
      throw new MalformedFileError(this.line, position ? Number(position[1]) + 1 : 1, 'not a JSON object');
    }
    this.onValue(value, this.line, text.length);
  }
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Where JSON text first nests deeper than `max` (the index of that bracket), or -1. JSON.parse
 * holds every level of a deep value at once: a few MB of brackets take a hundred MB of heap.
 */
function depthBeyond(text: string, max: number): number {
  if (text.length <= max) return -1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return i;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return -1;
}
