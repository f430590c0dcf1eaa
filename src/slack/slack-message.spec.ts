import { cardUrl, excerpt, slackMessage, type AlertFacts } from './slack-message';

const facts: AlertFacts = {
  trigger: 'reported',
  siteKey: 'evening',
  siteName: 'The <Evening> Post',
  commentId: '0b6a3c8e-1d2f-4a5b-9c7d-8e9f0a1b2c3d',
  body: 'Line one\n\n  line two & <b>three</b>',
  authorId: 'evening:rex',
  authorName: null,
  articleTitle: 'Tax | spend',
  articleUrl: 'https://evening.example/a?x=1|2',
  reason: 'spam',
  openReportCount: 1,
  reportThreshold: 3,
};

describe('a Slack alert', () => {
  it('escapes what mrkdwn reads as its own, and keeps links whole', () => {
    const message = slackMessage(facts, 'https://desk.example');
    expect(message.text).toBe('Reported: a comment by evening:rex on “Tax | spend” (The &lt;Evening&gt; Post)');
    expect(message.blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*Reported*: a comment by *evening:rex* on <https://evening.example/a?x=1%7C2|Tax ¦ spend>',
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: '>Line one line two &amp; &lt;b&gt;three&lt;/b&gt;' } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Reason: spam · 1 open report · The &lt;Evening&gt; Post' }],
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '<https://desk.example/desk/#/search?commentId=0b6a3c8e-1d2f-4a5b-9c7d-8e9f0a1b2c3d&site=evening|Open the card in the console>',
        },
      },
    ]);
  });

  it('quotes the first 280 characters of a long comment, whole characters only', () => {
    const long = `${'😀'.repeat(279)}ab`;
    expect(excerpt(long)).toBe(`${'😀'.repeat(279)}a…`);
    expect(excerpt('short')).toBe('short');
  });

  it("links to the console's card of the comment on its site", () => {
    expect(cardUrl('https://c.example', 'default', 'x-1')).toBe(
      'https://c.example/desk/#/search?commentId=x-1&site=default',
    );
  });
});
