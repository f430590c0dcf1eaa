/**
 * Server-sent event bytes, made once and written as they are to every reader's socket. Readers'
 * responses are HTTP/1.1 chunked (or, for HTTP/1.0 clients, unframed), so each frame keeps both
 * forms; the chunked one is made on first use.
 */
export class Frame {
  private chunkedForm?: Buffer;

  constructor(readonly bytes: Buffer) {}

  static of(text: string): Frame {
    return new Frame(Buffer.from(text, 'utf8'));
  }

  /** Several frames as one, so that a reader gets one write for all the events of one read. */
  static join(frames: Frame[]): Frame {
    return frames.length === 1 ? frames[0] : new Frame(Buffer.concat(frames.map((f) => f.bytes)));
  }

  get chunked(): Buffer {
    this.chunkedForm ??= Buffer.concat([
      Buffer.from(`${this.bytes.length.toString(16)}\r\n`),
      this.bytes,
      Buffer.from('\r\n'),
    ]);
    return this.chunkedForm;
  }
}

/** `data` is one line of JSON (JSON.stringify never writes a raw newline). */
export const eventFrame = (id: string | undefined, type: string, data: string): Frame =>
  Frame.of(`${id === undefined ? '' : `id: ${id}\n`}event: ${type}\ndata: ${data}\n\n`);

export const HEARTBEAT = eventFrame(undefined, 'heartbeat', '');

/** The last chunk of a chunked response. */
export const END_OF_CHUNKS = Buffer.from('0\r\n\r\n');
