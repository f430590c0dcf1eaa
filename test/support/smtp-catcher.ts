import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { until } from './expect';

/** A real SMTP server on a free port that keeps every message it receives, parsed. */
export interface SmtpCatcher {
  url: string;
  messages: ParsedMail[];
  /** The first message to `to` after the `after`-th message to it, waiting for it to arrive. */
  next(to: string, after?: number): Promise<ParsedMail>;
  /** How many messages to `to` have arrived. */
  countTo(to: string): number;
  stop(): Promise<void>;
}

const recipients = (mail: ParsedMail) =>
  [mail.to ?? []].flat().flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));

export async function startSmtpCatcher(): Promise<SmtpCatcher> {
  const messages: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const to = (address: string) => messages.filter((m) => recipients(m).includes(address.toLowerCase()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    countTo: (address) => to(address).length,
    next: (address, after = 0) => until(`an email to ${address}`, 15_000, () => to(address)[after]),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
