import { ParsedMail, simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { until } from './expect';

export interface Received {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: ParsedMail['headers'];
  /** A header's raw value, as sent. */
  header(name: string): string | undefined;
}

/** A real SMTP server on a free local port (no TLS, no auth), keeping every message it is sent, parsed. */
export interface SmtpInbox {
  url: string;
  messages: Received[];
  to(address: string): Received[];
  /** The first message to `address` matching `match`, waiting up to `ms` for it. */
  waitFor(address: string, match?: (m: Received) => boolean, ms?: number): Promise<Received>;
  close(): Promise<void>;
}

export async function startSmtpInbox(): Promise<SmtpInbox> {
  const messages: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          const raw = new Map(mail.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(':') + 1).trim()]));
          for (const rcpt of session.envelope.rcptTo)
            messages.push({
              to: rcpt.address,
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
              headers: mail.headers,
              header: (name) => raw.get(name.toLowerCase()),
            });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const to = (address: string) => messages.filter((m) => m.to === address);
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to,
    waitFor: (address, match = () => true, ms = 15_000) =>
      until(`an email to ${address}`, ms, () => to(address).find(match)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
