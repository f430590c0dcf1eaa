import { escapeHtml } from '../common/text';
/**
 * What the sign-in email and the link's pages say, in the embed's languages (the thread's lang):
 * a language without a table gets English.
 */
export interface EmailSignInWords {
  subject: (site: string) => string;
  greeting: (name: string) => string;
  asked: (site: string, origin: string) => string;
  action: string;
  expires: (minutes: number) => string;
  notYou: string;
  confirmTitle: string;
  confirmBody: (site: string, name: string, origin: string) => string;
  confirm: string;
  /** The code of the page that asked, to compare with the reader's own page. */
  matchCode: (code: string) => string;
  doneTitle: string;
  doneBody: string;
  failedTitle: string;
  failedBody: (detail: string) => string;
  used: string;
  expired: string;
  unknown: string;
}

const en: EmailSignInWords = {
  subject: (site) => `Sign in to comment on ${site}`,
  greeting: (name) => `Hello ${name},`,
  asked: (site, origin) => `You asked to sign in to comment on ${site} (${origin}).`,
  action: 'Sign in',
  expires: (minutes) => `The link works once, within ${minutes} minutes.`,
  notYou: 'If you did not ask for it, ignore this email: nobody is signed in without the link.',
  confirmTitle: 'Sign in to comment',
  confirmBody: (site, name, origin) => `Sign in to ${site} (${origin}) as ${name}?`,
  confirm: 'Sign in',
  matchCode: (code) =>
    `The page where you asked shows the code ${code}. Sign in only if it does: otherwise someone else asked, and would be signed in as you.`,
  doneTitle: 'You are signed in',
  doneBody: 'Go back to the comments: the page where you asked has signed you in. You can close this one.',
  failedTitle: 'The sign-in did not work',
  failedBody: (detail) => `${detail} Ask for a new link on the page where you asked for this one.`,
  used: 'This link was used already.',
  expired: 'This link has expired.',
  unknown: 'This link is not valid.',
};

const fr: EmailSignInWords = {
  subject: (site) => `Connectez-vous pour commenter sur ${site}`,
  greeting: (name) => `Bonjour ${name},`,
  asked: (site, origin) => `Vous avez demandé à vous connecter pour commenter sur ${site} (${origin}).`,
  action: 'Se connecter',
  expires: (minutes) => `Le lien ne sert qu’une fois, dans les ${minutes} minutes.`,
  notYou: 'Si vous ne l’avez pas demandé, ignorez ce message : personne n’est connecté sans le lien.',
  confirmTitle: 'Se connecter pour commenter',
  confirmBody: (site, name, origin) => `Se connecter à ${site} (${origin}) en tant que ${name} ?`,
  confirm: 'Se connecter',
  matchCode: (code) =>
    `La page où vous l’avez demandé affiche le code ${code}. Ne vous connectez que si c’est le cas : sinon quelqu’un d’autre l’a demandé, et serait connecté à votre nom.`,
  doneTitle: 'Vous êtes connecté',
  doneBody: 'Retournez aux commentaires : la page où vous l’avez demandé vous a connecté. Vous pouvez fermer celle-ci.',
  failedTitle: 'La connexion n’a pas abouti',
  failedBody: (detail) => `${detail} Demandez un nouveau lien sur la page où vous avez demandé celui-ci.`,
  used: 'Ce lien a déjà servi.',
  expired: 'Ce lien a expiré.',
  unknown: 'Ce lien n’est pas valide.',
};

const ar: EmailSignInWords = {
  subject: (site) => `سجّل الدخول للتعليق على ${site}`,
  greeting: (name) => `مرحبًا ${name}،`,
  asked: (site, origin) => `طلبت تسجيل الدخول للتعليق على ${site} (${origin}).`,
  action: 'تسجيل الدخول',
  expires: (minutes) => `يعمل الرابط مرة واحدة، خلال ${minutes} دقيقة.`,
  notYou: 'إن لم تطلب ذلك فتجاهل هذه الرسالة: لا يُسجَّل دخول أحد دون الرابط.',
  confirmTitle: 'سجّل الدخول للتعليق',
  confirmBody: (site, name, origin) => `تسجيل الدخول إلى ${site} (${origin}) باسم ${name}؟`,
  confirm: 'تسجيل الدخول',
  matchCode: (code) =>
    `تعرض الصفحة التي طلبت منها الرمز ${code}. لا تسجّل الدخول إلا إن كان كذلك: وإلا فقد طلبه شخص آخر وسيُسجَّل دخوله باسمك.`,
  doneTitle: 'تم تسجيل دخولك',
  doneBody: 'عد إلى التعليقات: الصفحة التي طلبت منها سجّلت دخولك. يمكنك إغلاق هذه الصفحة.',
  failedTitle: 'لم ينجح تسجيل الدخول',
  failedBody: (detail) => `${detail} اطلب رابطًا جديدًا من الصفحة التي طلبت منها هذا الرابط.`,
  used: 'استُخدم هذا الرابط من قبل.',
  expired: 'انتهت صلاحية هذا الرابط.',
  unknown: 'هذا الرابط غير صالح.',
};

const TABLES: Record<string, EmailSignInWords> = { en, fr, ar };
const RIGHT_TO_LEFT = new Set(['ar']);

/** The table's language for a BCP 47 tag ("fr-CA" → fr), English when there is none. */
export function wordsLang(tag: string | undefined | null): string {
  const base = (tag ?? '').toLowerCase().split('-')[0];
  return TABLES[base] ? base : 'en';
}

export const wordsFor = (lang: string): EmailSignInWords => TABLES[wordsLang(lang)];
export const directionOf = (lang: string): 'rtl' | 'ltr' => (RIGHT_TO_LEFT.has(wordsLang(lang)) ? 'rtl' : 'ltr');

/** The sign-in email, plain and HTML (every given text escaped in the HTML). */
export function signInEmail(
  lang: string,
  { site, name, origin, link, minutes }: { site: string; name: string; origin: string; link: string; minutes: number },
): { subject: string; text: string; html: string } {
  const w = wordsFor(lang);
  const dir = directionOf(lang);
  const text = [
    w.greeting(name),
    '',
    w.asked(site, origin),
    '',
    `${w.action}: ${link}`,
    '',
    w.expires(minutes),
    w.notYou,
  ].join('\n');
  const e = escapeHtml;
  const html = `<!doctype html><html lang="${wordsLang(lang)}" dir="${dir}"><head><meta charset="utf-8"><title>${e(w.subject(site))}</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;color:#1a1a1a">
<p>${e(w.greeting(name))}</p>
<p>${e(w.asked(site, origin))}</p>
<p><a href="${e(link)}" style="display:inline-block;padding:.6em 1.2em;background:#1d4ed8;color:#fff;text-decoration:none;border-radius:4px">${e(w.action)}</a></p>
<p>${e(w.expires(minutes))}<br>${e(w.notYou)}</p>
<p style="color:#555;font-size:14px">${e(link)}</p>
</body></html>`;
  return { subject: w.subject(site), text, html };
}
