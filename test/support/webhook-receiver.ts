import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedMessage {
  id: string;
  type: string;
  body: Record<string, unknown> & { type: string; timestamp: string; data: Record<string, any> };
  headers: Record<string, string>;
}

/** How the receiver answers one request (its number counts every request, from 1): a status, or no answer at all. */
export type Behaviour = (request: { id: string; n: number }) => number | 'hang' | 'drop';

/**
 * A real webhook receiver on this machine, as a publisher would write one: it verifies every
 * request with `standardwebhooks` against the secrets it knows, refuses one that does not verify,
 * and keeps each message once by its webhook-id (at least once, so repeats are expected).
 */
export class WebhookReceiver {
  /** Every request, verified or not, by webhook-id. */
  readonly requests: { id: string; signature: string; verified: boolean }[] = [];
  /** Verified messages, each once. */
  readonly messages = new Map<string, ReceivedMessage>();
  secrets: string[] = [];
  behaviour: Behaviour = () => 200;
  private server = http.createServer((req, res) => this.handle(req, res));
  private port = 0;
  private held: http.ServerResponse[] = [];
  /** Requests left without an answer ('hang'). */
  hung = 0;

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Stops listening (senders get connection refused) and cuts every open connection. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const res of this.held.splice(0)) res.destroy();
    await closed;
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  /** The messages of a type, in the order they were first received. */
  ofType(type: string): ReceivedMessage[] {
    return [...this.messages.values()].filter((m) => m.type === type);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
      );
      const id = headers['webhook-id'] ?? '';
      const verified = this.secrets.some((secret) => {
        try {
          new Webhook(secret).verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
      this.requests.push({ id, signature: headers['webhook-signature'] ?? '', verified });
      if (!verified) {
        res.writeHead(401).end('signature not verified');
        return;
      }
      const answer = this.behaviour({ id, n: this.requests.length });
      if (answer === 'hang') {
        this.held.push(res);
        this.hung++;
        return;
      }
      if (answer === 'drop') {
        res.destroy();
        return;
      }
      if (answer >= 200 && answer < 300 && !this.messages.has(id)) {
        const parsed = JSON.parse(body) as ReceivedMessage['body'];
        this.messages.set(id, { id, type: parsed.type, body: parsed, headers });
      }
      res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'thanks' : 'receiver trouble');
    });
  }
}

export const startReceiver = () => new WebhookReceiver().listen();
