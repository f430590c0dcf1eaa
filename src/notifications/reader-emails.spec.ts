import { emailLanguage } from './email-words';
import { rejectionReasonOf } from './reader-fan-out';
import { commentLink, digestEmail, notificationEmail, NotificationItem, Recipient } from './reader-emails';

const to: Recipient = {
  siteId: 1,
  siteName: 'The <Daily>',
  address: 'reader@example.org',
  lang: 'en',
  unsubscribeUrl: 'https://comments.example/api/notifications/unsubscribe?token=a.b',
};
const item: NotificationItem = {
  kind: 'rejected',
  commentId: 'c1',
  articleTitle: 'Fish & <chips>',
  articleUrl: 'https://news.example/fish?x=1#top',
  who: null,
  excerpt: '<script>alert(1)</script>',
  reason: 'Off topic: "really"',
};

describe("readers' emails", () => {
  it('link to the comment on the article, whatever fragment the article URL had', () => {
    expect(commentLink(item.articleUrl, 'c1')).toBe('https://news.example/fish?x=1#comment-c1');
  });

  it('escape in HTML what readers, moderators and sites wrote, and keep it whole in plain text', () => {
    const email = notificationEmail(to, item);
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain('Fish &amp; &lt;chips&gt;');
    expect(email.html).toContain('Reason: Off topic: &quot;really&quot;');
    expect(email.text).toContain('> <script>alert(1)</script>');
    expect(email.text).toContain('Reason: Off topic: "really"');
    expect(email.headers).toEqual({
      'List-Unsubscribe': `<${to.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('are written in the reader’s language and direction, English for one we do not speak', () => {
    expect(notificationEmail({ ...to, lang: 'ar' }, item).html).toContain('dir="rtl"');
    expect(notificationEmail({ ...to, lang: 'fr-CA' }, item).subject).toBe(
      'Votre commentaire sur « Fish & <chips> » n’a pas été publié',
    );
    expect(emailLanguage('de')).toBe('en');
    expect(notificationEmail(to, { ...item, kind: 'reply' }).text).toMatch(/^Someone replied to your comment/);
    expect(digestEmail(to, [item, { ...item, kind: 'approved' }]).subject).toBe(
      '2 updates on your comments — The <Daily>',
    );
  });

  it('tell a rejection’s reason as the log has it, less its bookkeeping', () => {
    expect(rejectionReasonOf('Off topic: no; resolved 2 report(s)')).toBe('Off topic: no');
    expect(rejectionReasonOf('resolved 1 report(s)')).toBeNull();
    expect(rejectionReasonOf(null)).toBeNull();
    expect(rejectionReasonOf('Spam')).toBe('Spam');
  });
});
