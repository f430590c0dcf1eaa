import { escapeHtml } from '../common/text';
import type { Email } from '../mail/mailer';
import { EmailWords, NotificationKind, wordsFor } from './email-words';

/** One thing to tell a reader of, with everything its email says (kept whole in a digest until it is sent). */
export interface NotificationItem {
  kind: NotificationKind;
  /** The comment the link opens: the reply, or the reader's own comment. */
  commentId: string;
  articleTitle: string;
  articleUrl: string;
  /** Who replied (reply only). */
  who: string | null;
  /** The start of the comment's text. */
  excerpt: string;
  /** Why it was rejected, as the moderation log has it (rejected only). */
  reason: string | null;
}

/** Who an email goes to, and the links only they may use. */
export interface Recipient {
  siteId: number;
  siteName: string;
  address: string;
  lang: string;
  unsubscribeUrl: string;
}

const EXCERPT = 300;

export const excerptOf = (body: string): string =>
  body.length <= EXCERPT ? body : `${body.slice(0, EXCERPT).trimEnd()}…`;

/** The article's page opened at the comment (the embed scrolls to #comment-<id>). */
export function commentLink(articleUrl: string, commentId: string): string {
  const at = articleUrl.indexOf('#');
  return `${at < 0 ? articleUrl : articleUrl.slice(0, at)}#comment-${commentId}`;
}

/** RFC 2369 and RFC 8058: a mail client's unsubscribe button, in one click. */
export const unsubscribeHeaders = (url: string): Record<string, string> => ({
  'List-Unsubscribe': `<${url}>`,
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
});

/** An email about one thing, sent at once. */
export function notificationEmail(to: Recipient, item: NotificationItem): Email {
  const w = wordsFor(to.lang);
  return compose(to, w, w.subject[item.kind](item.articleTitle), [item], null);
}

/** One email with everything of a period, for a reader who chose an hourly or daily digest. */
export function digestEmail(to: Recipient, items: NotificationItem[]): Email {
  const w = wordsFor(to.lang);
  return compose(to, w, w.digestSubject(items.length, to.siteName), items, w.digestLead(to.siteName));
}

function compose(to: Recipient, w: EmailWords, subject: string, items: NotificationItem[], lead: string | null): Email {
  const parts = items.map((item) => partOf(w, item));
  const footer = [w.why(to.siteName), `${w.unsubscribe}: ${to.unsubscribeUrl}`];
  const text = [
    ...(lead ? [lead, ''] : []),
    ...parts
      .map((p) => p.text)
      .join('\n\n---\n\n')
      .split('\n'),
    '',
    '--',
    ...footer,
  ].join('\n');
  const html = page(
    w.dir,
    subject,
    `${lead ? `<p>${escapeHtml(lead)}</p>` : ''}${parts.map((p) => p.html).join('<hr>')}
<p style="color:#555;font-size:13px">${escapeHtml(w.why(to.siteName))}<br><a href="${escapeHtml(to.unsubscribeUrl)}">${escapeHtml(w.unsubscribe)}</a></p>`,
  );
  return { siteId: to.siteId, to: to.address, subject, text, html, headers: unsubscribeHeaders(to.unsubscribeUrl) };
}

function partOf(w: EmailWords, item: NotificationItem): { text: string; html: string } {
  const link = commentLink(item.articleUrl, item.commentId);
  const lead = w.lead[item.kind](item.articleTitle, item.who ?? w.someone);
  const reason = item.kind === 'rejected' && item.reason ? w.reason(item.reason) : null;
  const review = item.kind === 'rejected' ? w.review : null;
  const text = [
    lead,
    '',
    quote(item.excerpt),
    '',
    ...(reason ? [reason] : []),
    ...(review ? [review] : []),
    `${w.open}: ${link}`,
  ].join('\n');
  const html = `<p>${escapeHtml(lead)}</p>
<blockquote style="margin:0 0 1em;padding:0 1em;border-inline-start:3px solid #ccc;white-space:pre-wrap">${escapeHtml(item.excerpt)}</blockquote>
${reason ? `<p>${escapeHtml(reason)}</p>` : ''}${review ? `<p>${escapeHtml(review)}</p>` : ''}<p><a href="${escapeHtml(link)}">${escapeHtml(w.open)}</a></p>`;
  return { text, html };
}

const quote = (body: string) =>
  body
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');

/** A whole HTML email in the reader's direction. */
export function page(dir: 'ltr' | 'rtl', title: string, body: string): string {
  return `<!doctype html><html dir="${dir}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font:15px/1.5 system-ui,sans-serif;color:#1a1a1a">${body}</body></html>`;
}

/** The email with the link that confirms an address the reader gave. */
export function confirmationEmail(
  to: { siteId: number; siteName: string; address: string; lang: string },
  confirmUrl: string,
): Email {
  const w = wordsFor(to.lang);
  const subject = w.confirmSubject(to.siteName);
  return {
    siteId: to.siteId,
    to: to.address,
    subject,
    text: [w.confirmLead(to.siteName), '', `${w.confirmAction}: ${confirmUrl}`, '', w.confirmIgnore].join('\n'),
    html: page(
      w.dir,
      subject,
      `<p>${escapeHtml(w.confirmLead(to.siteName))}</p><p><a href="${escapeHtml(confirmUrl)}">${escapeHtml(
        w.confirmAction,
      )}</a></p><p>${escapeHtml(w.confirmIgnore)}</p>`,
    ),
  };
}
