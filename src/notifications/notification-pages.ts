import { EmailLanguage, emailLanguage } from './email-words';
import { escapeHtml } from '../common/text';

/** The pages that links in emails open, in the reader's language. */
interface PageWords {
  dir: 'ltr' | 'rtl';
  confirmed: [string, (address: string) => string];
  invalid: [string, string];
  unsubscribeAsk: [string, string, string];
  unsubscribed: [string, string];
}

const WORDS: Record<EmailLanguage, PageWords> = {
  en: {
    dir: 'ltr',
    confirmed: ['Address confirmed', (a) => `Notifications will be sent to ${a}. You can close this page.`],
    invalid: [
      'This link does not work',
      'It may have expired or been used already. Ask for a new one from the comments.',
    ],
    unsubscribeAsk: [
      'Stop these emails?',
      'You will no longer receive notifications about your comments.',
      'Unsubscribe',
    ],
    unsubscribed: [
      'You are unsubscribed',
      'You will receive no more notifications. You can turn them on again in the comments.',
    ],
  },
  fr: {
    dir: 'ltr',
    confirmed: ['Adresse confirmée', (a) => `Les notifications seront envoyées à ${a}. Vous pouvez fermer cette page.`],
    invalid: [
      'Ce lien ne fonctionne pas',
      'Il a peut-être expiré ou déjà servi. Demandez-en un nouveau depuis les commentaires.',
    ],
    unsubscribeAsk: [
      'Ne plus recevoir ces courriels ?',
      'Vous ne recevrez plus de notifications sur vos commentaires.',
      'Se désabonner',
    ],
    unsubscribed: [
      'Vous êtes désabonné',
      'Vous ne recevrez plus de notifications. Vous pouvez les réactiver dans les commentaires.',
    ],
  },
  ar: {
    dir: 'rtl',
    confirmed: ['تم تأكيد العنوان', (a) => `ستُرسل الإشعارات إلى ${a}. يمكنك إغلاق هذه الصفحة.`],
    invalid: ['هذا الرابط لا يعمل', 'ربما انتهت صلاحيته أو استُخدم من قبل. اطلب رابطًا جديدًا من التعليقات.'],
    unsubscribeAsk: ['إيقاف هذه الرسائل؟', 'لن تصلك بعد الآن إشعارات عن تعليقاتك.', 'إلغاء الاشتراك'],
    unsubscribed: ['تم إلغاء اشتراكك', 'لن تصلك إشعارات بعد الآن. يمكنك تفعيلها مجددًا من التعليقات.'],
  },
};

function page(lang: string, title: string, body: string): string {
  const l = emailLanguage(lang);
  return `<!doctype html><html lang="${l}" dir="${WORDS[l].dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#1a1a1a}button{font:inherit;padding:.5rem 1rem}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

const words = (lang: string) => WORDS[emailLanguage(lang)];

export function confirmedPage(lang: string, address: string): string {
  const [title, body] = words(lang).confirmed;
  return page(lang, title, `<p>${escapeHtml(body(address))}</p>`);
}

export function invalidLinkPage(lang: string): string {
  const [title, body] = words(lang).invalid;
  return page(lang, title, `<p>${escapeHtml(body)}</p>`);
}

/** A GET only asks: link checkers open links, and must not unsubscribe anyone. */
export function unsubscribeAskPage(lang: string, token: string): string {
  const [title, body, button] = words(lang).unsubscribeAsk;
  return page(
    lang,
    title,
    `<p>${escapeHtml(body)}</p><form method="post" action="?token=${encodeURIComponent(token)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(button)}</button></form>`,
  );
}

export function unsubscribedPage(lang: string): string {
  const [title, body] = words(lang).unsubscribed;
  return page(lang, title, `<p>${escapeHtml(body)}</p>`);
}
