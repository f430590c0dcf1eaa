import { escapeHtml } from '../common/text';

/** What waits, per site: the queues a moderator empties. */
export interface WaitingOnSite {
  key: string;
  name: string;
  pending: number;
  reported: number;
  unmoderated: number;
}

const QUEUE_WORDS: [keyof Omit<WaitingOnSite, 'key' | 'name'>, string, string][] = [
  ['pending', 'held for review', 'pending'],
  ['reported', 'reported', 'reported'],
  ['unmoderated', 'published, not yet moderated', 'unmoderated'],
];

const plural = (n: number) => (n === 1 ? '1 comment' : `${n} comments`);

/** The digest: per site, each queue's count and a link to it in the console. */
export function digestEmail(
  consoleUrl: string,
  sites: WaitingOnSite[],
  frequency: 'hourly' | 'daily',
): { subject: string; text: string; html: string } {
  const total = sites.reduce((sum, s) => sum + s.pending + s.reported + s.unmoderated, 0);
  const subject = `${plural(total)} waiting in your moderation queues`;
  const queueUrl = (site: string, queue: string) => `${consoleUrl}#/queue/${queue}?site=${encodeURIComponent(site)}`;
  const text = [
    `What waits in your queues (your ${frequency} digest):`,
    '',
    ...sites.flatMap((site) => [
      `${site.name}`,
      ...QUEUE_WORDS.filter(([q]) => site[q] > 0).map(
        ([q, words, path]) => `  ${plural(site[q])} ${words}: ${queueUrl(site.key, path)}`,
      ),
      '',
    ]),
    `Change or stop this digest in the console: ${consoleUrl}#/digest`,
  ].join('\n');
  const e = escapeHtml;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;color:#1a1a1a">
<p>What waits in your queues (your ${e(frequency)} digest):</p>
${sites
  .map(
    (site) =>
      `<h2 style="font-size:18px">${e(site.name)}</h2><ul>${QUEUE_WORDS.filter(([q]) => site[q] > 0)
        .map(
          ([q, words, path]) =>
            `<li><a href="${e(queueUrl(site.key, path))}">${e(`${plural(site[q])} ${words}`)}</a></li>`,
        )
        .join('')}</ul>`,
  )
  .join('\n')}
<p style="color:#555;font-size:14px"><a href="${e(`${consoleUrl}#/digest`)}">Change or stop this digest</a></p>
</body></html>`;
  return { subject, text, html };
}

/** The email that confirms the address a moderator gave for their digest. */
export function confirmEmail(link: string): { subject: string; text: string; html: string } {
  const subject = 'Confirm the address of your moderation digest';
  const lines = [
    'You asked for a digest of your moderation queues at this address.',
    `Confirm it: ${link}`,
    'If you did not ask for it, ignore this email: nothing is sent without the confirmation.',
  ];
  const e = escapeHtml;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${e(subject)}</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;color:#1a1a1a"><p>${e(lines[0])}</p>
<p><a href="${e(link)}">Confirm the address</a></p><p>${e(lines[2])}</p></body></html>`;
  return { subject, text: lines.join('\n\n'), html };
}
