// The receivers of the delivery benchmark, in a process of their own (so that they do not slow
// the bench's own timing): a webhook receiver that verifies every request's Standard Webhooks
// signature and counts distinct webhook-ids, and an SMTP server that counts distinct messages.
//
//   fork('bench/delivery-peers.mjs') -> sends { ready: { webhookPort, smtpPort } }
//   parent sends { secret }          -> the webhook secret to verify with
//   parent sends { count: true }     -> answers { counts: { webhooks, duplicates, badSignatures, emails } }
import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';

let verifier;
const seen = new Set();
const emails = new Set();
let duplicates = 0;
let badSignatures = 0;

const webhooks = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    try {
      verifier.verify(body, req.headers);
    } catch {
      badSignatures++;
      res.writeHead(401).end();
      return;
    }
    const id = req.headers['webhook-id'];
    if (seen.has(id)) duplicates++;
    else seen.add(id);
    res.writeHead(204).end();
  });
});

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 1 << 20,
  onData(stream, _session, done) {
    let head = '';
    stream.on('data', (chunk) => {
      if (head.length < 8192) head += chunk.toString('utf8');
    });
    stream.on('end', () => {
      const id = /^message-id:\s*(\S+)/im.exec(head)?.[1] ?? `${emails.size}-${Math.random()}`;
      emails.add(id);
      done();
    });
  },
});

const listen = (server, address = () => server.address()) =>
  new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(address().port));
  });

const webhookPort = await listen(webhooks);
const smtpPort = await listen(smtp, () => smtp.server.address());
process.on('message', (message) => {
  if (message.secret) verifier = new Webhook(message.secret);
  if (message.count) process.send({ counts: { webhooks: seen.size, duplicates, badSignatures, emails: emails.size } });
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: { webhookPort, smtpPort } });
