/** What a reader is told of: a reply to their comment, their held comment approved, their comment rejected. */
export type NotificationKind = 'reply' | 'approved' | 'rejected';
export const NOTIFICATION_KINDS: readonly NotificationKind[] = ['reply', 'approved', 'rejected'];

/** The languages the embed speaks (web/embed/src/strings-*.ts); emails follow the reader's. */
export const EMAIL_LANGUAGES = ['en', 'fr', 'ar'] as const;
export type EmailLanguage = (typeof EMAIL_LANGUAGES)[number];

/** Every word of the readers' emails, one table per language. Functions take what varies. */
export interface EmailWords {
  dir: 'ltr' | 'rtl';
  subject: Record<NotificationKind, (article: string) => string>;
  lead: Record<NotificationKind, (article: string, who: string) => string>;
  /** Who replied, when they have no name. */
  someone: string;
  reason: (reason: string) => string;
  review: string;
  open: string;
  digestSubject: (n: number, site: string) => string;
  digestLead: (site: string) => string;
  why: (site: string) => string;
  unsubscribe: string;
  confirmSubject: (site: string) => string;
  confirmLead: (site: string) => string;
  confirmAction: string;
  confirmIgnore: string;
}

const en: EmailWords = {
  dir: 'ltr',
  subject: {
    reply: (article) => `New reply to your comment on “${article}”`,
    approved: (article) => `Your comment on “${article}” is published`,
    rejected: (article) => `Your comment on “${article}” was not published`,
  },
  lead: {
    reply: (article, who) => `${who} replied to your comment on “${article}”:`,
    approved: (article) => `A moderator approved your comment on “${article}”. It is now visible to everyone:`,
    rejected: (article) => `A moderator decided not to publish your comment on “${article}”:`,
  },
  someone: 'Someone',
  reason: (reason) => `Reason: ${reason}`,
  review:
    'If you think this was a mistake, you can ask for a review: open your comment with the link below (only you can see it) and write to the editors, quoting the link.',
  open: 'Open the comment',
  digestSubject: (n, site) =>
    n === 1 ? `1 update on your comments — ${site}` : `${n} updates on your comments — ${site}`,
  digestLead: (site) => `What happened to your comments on ${site}:`,
  why: (site) => `You receive this email because you turned on notifications in the comments of ${site}.`,
  unsubscribe: 'Stop these emails',
  confirmSubject: (site) => `Confirm your email address for ${site}`,
  confirmLead: (site) =>
    `Someone (we hope you) asked to receive notifications about comments on ${site} at this address.`,
  confirmAction: 'Confirm this address',
  confirmIgnore: 'If it was not you, ignore this email: nothing will be sent.',
};

const fr: EmailWords = {
  dir: 'ltr',
  subject: {
    reply: (article) => `Nouvelle réponse à votre commentaire sur « ${article} »`,
    approved: (article) => `Votre commentaire sur « ${article} » est publié`,
    rejected: (article) => `Votre commentaire sur « ${article} » n’a pas été publié`,
  },
  lead: {
    reply: (article, who) => `${who} a répondu à votre commentaire sur « ${article} » :`,
    approved: (article) =>
      `Un modérateur a approuvé votre commentaire sur « ${article} ». Il est désormais visible de tous :`,
    rejected: (article) => `Un modérateur a décidé de ne pas publier votre commentaire sur « ${article} » :`,
  },
  someone: 'Quelqu’un',
  reason: (reason) => `Motif : ${reason}`,
  review:
    'Si vous pensez qu’il s’agit d’une erreur, vous pouvez demander un réexamen : ouvrez votre commentaire avec le lien ci-dessous (vous seul le voyez) et écrivez à la rédaction en citant ce lien.',
  open: 'Ouvrir le commentaire',
  digestSubject: (n, site) =>
    n <= 1
      ? `${n} nouvelle concernant vos commentaires — ${site}`
      : `${n} nouvelles concernant vos commentaires — ${site}`,
  digestLead: (site) => `Ce qui est arrivé à vos commentaires sur ${site} :`,
  why: (site) => `Vous recevez ce courriel car vous avez activé les notifications dans les commentaires de ${site}.`,
  unsubscribe: 'Ne plus recevoir ces courriels',
  confirmSubject: (site) => `Confirmez votre adresse électronique pour ${site}`,
  confirmLead: (site) =>
    `Quelqu’un (vous, nous l’espérons) a demandé à recevoir à cette adresse des notifications sur les commentaires de ${site}.`,
  confirmAction: 'Confirmer cette adresse',
  confirmIgnore: 'Si ce n’était pas vous, ignorez ce courriel : rien ne sera envoyé.',
};

/** A name or title kept apart from the right-to-left words around it (first strong isolate), as the embed does. */
const isolate = (text: string): string => `\u2068${text}\u2069`;

const ar: EmailWords = {
  dir: 'rtl',
  subject: {
    reply: (article) => `ردّ جديد على تعليقك على «${isolate(article)}»`,
    approved: (article) => `نُشر تعليقك على «${isolate(article)}»`,
    rejected: (article) => `لم يُنشر تعليقك على «${isolate(article)}»`,
  },
  lead: {
    reply: (article, who) => `ردّ ${isolate(who)} على تعليقك على «${isolate(article)}»:`,
    approved: (article) => `وافق أحد المشرفين على تعليقك على «${isolate(article)}». أصبح الآن ظاهرًا للجميع:`,
    rejected: (article) => `قرّر أحد المشرفين عدم نشر تعليقك على «${isolate(article)}»:`,
  },
  someone: 'أحدهم',
  reason: (reason) => `السبب: ${reason}`,
  review:
    'إن رأيت أن في ذلك خطأ، يمكنك طلب مراجعة القرار: افتح تعليقك بالرابط أدناه (لا يراه غيرك) واكتب إلى هيئة التحرير مع ذكر الرابط.',
  open: 'افتح التعليق',
  digestSubject: (n, site) => (n === 1 ? `مستجد واحد بشأن تعليقاتك — ${site}` : `${n} مستجدات بشأن تعليقاتك — ${site}`),
  digestLead: (site) => `ما جرى لتعليقاتك على ${site}:`,
  why: (site) => `تصلك هذه الرسالة لأنك فعّلت الإشعارات في تعليقات ${site}.`,
  unsubscribe: 'أوقف هذه الرسائل',
  confirmSubject: (site) => `أكّد عنوان بريدك الإلكتروني لدى ${site}`,
  confirmLead: (site) => `طلب أحدهم (ونرجو أن تكون أنت) تلقّي إشعارات التعليقات على ${site} على هذا العنوان.`,
  confirmAction: 'أكّد هذا العنوان',
  confirmIgnore: 'إن لم تكن أنت، فتجاهل هذه الرسالة: لن يُرسل شيء.',
};

const TABLES: Record<EmailLanguage, EmailWords> = { en, fr, ar };

/** The reader's language, as the embed gave it ("fr-CA" → fr); English when we do not speak it. */
export function emailLanguage(lang: string | null | undefined): EmailLanguage {
  const base = (lang ?? '').toLowerCase().split('-')[0];
  return (EMAIL_LANGUAGES as readonly string[]).includes(base) ? (base as EmailLanguage) : 'en';
}

export const wordsFor = (lang: string | null | undefined): EmailWords => TABLES[emailLanguage(lang)];
