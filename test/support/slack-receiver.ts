import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** A message as Slack's incoming webhook received it. */
export interface ReceivedMessage {
  /** The channel: the URL's path. */
  channel: string;
  at: number;
  contentType: string | undefined;
  text?: string;
  blocks?: { type: string; text?: { type: string; text: string }; elements?: { type: string; text: string }[] }[];
  /** What it answered. */
  status: number;
}

/** An answer planned for a channel's next message: a status, and a Retry-After with it. */
export interface PlannedAnswer {
  status: number;
  retryAfter?: number;
}

/**
 * A real HTTP peer that speaks Slack's incoming-webhook protocol: a JSON body with `text` and/or
 * `blocks` is posted to a channel's URL; `ok` with 200 accepts it, anything else is refused
 * as Slack does (`invalid_payload` 400). A channel can be told to answer 500, or 429 with
 * Retry-After, for its next messages.
 */
export class SlackReceiver {
  readonly received: ReceivedMessage[] = [];
  private readonly plans = new Map<string, PlannedAnswer[]>();
  private server?: Server;
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        const channel = req.url ?? '/';
        let body: { text?: unknown; blocks?: unknown } | undefined;
        try {
          body = JSON.parse(raw) as typeof body;
        } catch {
          body = undefined;
        }
        const valid =
          req.method === 'POST' &&
          /^application\/json/.test(req.headers['content-type'] ?? '') &&
          !!body &&
          (typeof body.text === 'string' || Array.isArray(body.blocks));
        const planned = valid ? this.plans.get(channel)?.shift() : undefined;
        const status = !valid ? 400 : (planned?.status ?? 200);
        this.received.push({
          channel,
          at: Date.now(),
          contentType: req.headers['content-type'],
          ...(body as object),
          status,
        });
        const headers: Record<string, string> = { 'content-type': 'text/plain' };
        if (planned?.retryAfter !== undefined) headers['retry-after'] = String(planned.retryAfter);
        res.writeHead(status, headers);
        res.end(status === 200 ? 'ok' : status === 400 ? 'invalid_payload' : status === 429 ? 'rate_limited' : 'error');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A channel's incoming-webhook URL. */
  url(channel: string): string {
    return `${this.origin}/services/${channel}`;
  }

  /** The next answers of a channel (then 200 again). */
  plan(channel: string, ...answers: PlannedAnswer[]): void {
    this.plans.set(`/services/${channel}`, answers);
  }

  /** What a channel received and accepted. */
  accepted(channel: string): ReceivedMessage[] {
    return this.received.filter((m) => m.channel === `/services/${channel}` && m.status === 200);
  }

  /** Everything a channel was sent, accepted or not. */
  tries(channel: string): ReceivedMessage[] {
    return this.received.filter((m) => m.channel === `/services/${channel}`);
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** The message's whole text: `text` and every block's, for assertions. */
export const wholeText = (m: ReceivedMessage): string =>
  [
    m.text ?? '',
    ...(m.blocks ?? []).flatMap((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text)]),
  ].join('\n');

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
