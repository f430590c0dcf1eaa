import { describe as describeLetter, maskedEmail } from './dead-letter-description';

describe("a dead letter's description", () => {
  it('masks an email address', () => {
    expect(maskedEmail('ada.lovelace@example.com')).toBe('a***@example.com');
    expect(maskedEmail('nobody')).toBe('***');
    expect(describeLetter('email', { siteId: 1, to: 'rex@news.example', subject: 'A reply to your comment' })).toEqual({
      receiver: 'r***@news.example',
      summary: 'A reply to your comment',
    });
  });

  it("says a Slack alert's words and a webhook's host, never a URL's secret path", () => {
    expect(describeLetter('slack', { siteId: 1, message: { text: 'Held: &lt;b&gt; &amp; co' } })).toEqual({
      receiver: "The site's Slack channel",
      summary: 'Held: <b> & co',
    });
    expect(
      describeLetter('webhook', { siteId: 1, url: 'https://hooks.example:8443/secret/path', type: 'comment.held' }),
    ).toEqual({ receiver: 'hooks.example:8443', summary: 'comment.held' });
    expect(describeLetter('webhook', { siteId: 1 })).toEqual({ receiver: 'A webhook', summary: 'A webhook delivery' });
  });
});
