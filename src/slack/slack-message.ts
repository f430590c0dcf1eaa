import type { SlackTrigger } from './slack-triggers';

/** What an alert says: the comment, where it is, and why the channel is told. */
export interface AlertFacts {
  trigger: SlackTrigger;
  siteKey: string;
  siteName: string;
  commentId: string;
  body: string;
  authorId: string;
  authorName: string | null;
  articleTitle: string;
  articleUrl: string;
  /** Why it was held, or the report's reason. */
  reason: string | null;
  openReportCount?: number;
  reportThreshold?: number;
  /** The staff role of the author of a staff post, when known. */
  role?: string | null;
}

/** A Slack message as an incoming webhook takes it: `text` (the notification's words) and Block Kit blocks. */
export interface SlackMessage {
  text: string;
  blocks: object[];
}

const HEADLINE: Record<SlackTrigger, string> = {
  held: 'Held for review',
  reported: 'Reported',
  report_threshold: 'Over the report threshold',
  staff_post: 'Posted by staff',
};

const EXCERPT_CHARACTERS = 280;

/** The console's page of one comment, its card with the moderators' actions (`/desk/#/search?commentId=`). */
export function cardUrl(publicUrl: string, siteKey: string, commentId: string): string {
  const query = new URLSearchParams({ commentId, site: siteKey });
  return `${publicUrl}/desk/#/search?${query.toString()}`;
}

/** The alert's message: what happened, the excerpt quoted, who wrote it, why, and the link to the card. */
export function slackMessage(facts: AlertFacts, publicUrl: string): SlackMessage {
  const headline = HEADLINE[facts.trigger];
  const author = facts.authorName ?? facts.authorId;
  const article = link(facts.articleUrl, facts.articleTitle);
  const card = cardUrl(publicUrl, facts.siteKey, facts.commentId);
  const why = detail(facts);
  return {
    text: `${headline}: a comment by ${escape(author)} on “${escape(facts.articleTitle)}” (${escape(facts.siteName)})`,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `*${headline}*: a comment by *${escape(author)}* on ${article}` },
      },
      { type: 'section', text: { type: 'mrkdwn', text: `>${escape(excerpt(facts.body))}` } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: [why, escape(facts.siteName)].filter(Boolean).join(' · ') }],
      },
      { type: 'section', text: { type: 'mrkdwn', text: `${link(card, 'Open the card in the console')}` } },
    ],
  };
}

function detail(facts: AlertFacts): string | null {
  const reports =
    facts.openReportCount === undefined ? '' : `${facts.openReportCount} open ${plural(facts.openReportCount)}`;
  switch (facts.trigger) {
    case 'held':
      return facts.reason ? `Why: ${escape(facts.reason)}` : null;
    case 'reported':
      return [facts.reason && `Reason: ${escape(facts.reason)}`, reports].filter(Boolean).join(' · ');
    case 'report_threshold':
      return [facts.reason && `Reason: ${escape(facts.reason)}`, `${reports} (threshold ${facts.reportThreshold})`]
        .filter(Boolean)
        .join(' · ');
    case 'staff_post':
      return facts.role ? `By a ${escape(facts.role)} of the site` : 'By a moderator of the site';
  }
}

const plural = (n: number) => (n === 1 ? 'report' : 'reports');

/** The comment's first words, on one line. */
export function excerpt(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  const characters = [...line];
  return characters.length <= EXCERPT_CHARACTERS
    ? line
    : `${characters.slice(0, EXCERPT_CHARACTERS).join('').trimEnd()}…`;
}

/** Slack's mrkdwn takes &, < and > as its own: text carries them escaped. */
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `<url|text>`: the URL may not hold the characters that end it. */
const link = (url: string, text: string) =>
  `<${url.replace(/[<>| ]/g, (c) => encodeURIComponent(c))}|${escape(text).replace(/\|/g, '¦')}>`;
