import { IncomingHttpHeaders, IncomingMessage, request as httpRequest } from 'node:http';
import { until } from './expect';

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** A client of an event stream, collecting events (heartbeats left out) as they come. */
export class StreamReader {
  readonly events: SseEvent[] = [];
  /** `retry:` fields the server sent. */
  readonly retries: number[] = [];
  heartbeats = 0;
  ended = false;
  status = 0;
  headers: IncomingHttpHeaders = {};
  /** The body of a refusal (problem+json). */
  body = '';
  private response?: IncomingMessage;
  private buffer = '';

  static async connect(port: number, path: string, headers: Record<string, string> = {}): Promise<StreamReader> {
    const reader = new StreamReader();
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
        reader.response = res;
        reader.status = res.statusCode!;
        reader.headers = res.headers;
        res.setEncoding('utf8');
        const streaming = reader.status === 200;
        res.on('data', (chunk: string) => (streaming ? reader.take(chunk) : (reader.body += chunk)));
        res.on('end', () => (reader.ended = true));
        res.on('close', () => (reader.ended = true));
        res.on('error', () => (reader.ended = true));
        if (streaming) resolve();
        else res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
    return reader;
  }

  private take(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: SseEvent = { data: '' };
      for (const line of block.split('\n')) {
        const [field, ...rest] = line.split(':');
        const value = rest.join(':').replace(/^ /, '');
        if (field === 'id') event.id = value;
        else if (field === 'event') event.event = value;
        else if (field === 'data') event.data += value;
        else if (field === 'retry') this.retries.push(Number(value));
      }
      if (event.event === 'heartbeat') this.heartbeats++;
      else if (event.event) this.events.push(event);
    }
  }

  /** Polls until `count` events arrived (of `type`, when given), with a deadline. */
  async waitFor(count: number, type?: string, deadlineMs = 5000): Promise<SseEvent[]> {
    const matching = () => this.events.filter((e) => type === undefined || e.event === type);
    await until(`${count} ${type ?? ''} events`, deadlineMs, async () => matching().length >= count).catch(
      (error: Error) => {
        throw new Error(
          `${error.message}; got ${this.events.length}: ${this.events.map((e) => `${e.event}#${e.id}`).join(' ')}`.slice(
            0,
            2000,
          ),
        );
      },
    );
    return matching();
  }

  /** Stops reading, as a reader whose network or tab stalls: the server's buffers fill up. */
  pause(): void {
    this.response?.pause();
  }

  resume(): void {
    this.response?.resume();
  }

  /** A refusal, as expectProblem takes a response. */
  get problem(): { status: number; headers: Record<string, string>; body: unknown } {
    return { status: this.status, headers: this.headers as Record<string, string>, body: JSON.parse(this.body) };
  }

  close(): void {
    this.response?.destroy();
  }
}
