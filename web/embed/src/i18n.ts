/** Every string the reader sees, one table per language. Functions take what varies. */
export interface Strings {
  heading: string;
  count: (n: number) => string;
  loading: string;
  unavailable: string;
  loadFailed: string;
  retry: string;
  signIn: string;
  signedInAs: (name: string) => string;
  /** Sign-in by email link (sign-in="email"): the form, "check your email", and its refusals. */
  emailName: string;
  emailAddress: string;
  emailSend: string;
  emailSent: (address: string) => string;
  /** The code the link's page shows too (so that a reader does not sign in someone else's page). */
  emailCode: (code: string) => string;
  emailAgain: string;
  emailExpired: string;
  emailMissing: string;
  yourComment: string;
  post: string;
  yourReply: string;
  postReply: string;
  cancel: string;
  sort: string;
  newest: string;
  oldest: string;
  showMore: string;
  moreReplies: (n: number) => string;
  /** The replies of a comment none of whose replies is drawn yet. */
  showReplies: (n: number) => string;
  /** Above a reply drawn past the nesting depth: the comment it answers (a button to it). */
  inReplyTo: (name: string) => string;
  inReplyToDeleted: string;
  newComments: (n: number) => string;
  /** A link to one comment (#comment-<id>): its mark, the note above it drawn alone, the way back, and a comment the reader may not see. */
  linkedComment: string;
  linkedAlone: string;
  showAll: string;
  linkMissing: string;
  reply: string;
  edit: string;
  save: string;
  editComment: string;
  del: string;
  confirmDelete: string;
  report: string;
  reportComment: string;
  reason: string;
  reasons: Record<'spam' | 'abuse' | 'off_topic' | 'other', string>;
  note: string;
  sendReport: string;
  reported: string;
  alreadyReported: string;
  awaiting: string;
  rejected: string;
  rejectedWhy: (reasons: string) => string;
  deleted: string;
  edited: string;
  anonymous: string;
  you: string;
  posted: string;
  postedHeld: string;
  commentDeleted: string;
  saved: string;
  closedNow: string;
  reopenedNow: string;
  /** The signed-in reader's email notifications panel. */
  notify: {
    title: string;
    when: string;
    replies: string;
    approved: string;
    rejected: string;
    frequency: string;
    frequencies: Record<'immediate' | 'hourly' | 'daily', string>;
    sentTo: (address: string) => string;
    address: string;
    confirm: string;
    linkSent: (address: string) => string;
    saved: string;
    unavailable: string;
  };
  errors: {
    closed: string;
    banned: string;
    /** A ban with an end, in place of the comment form: the end already written in the reader's language. */
    bannedUntil: (until: string) => string;
    rateLimited: (seconds: number | null) => string;
    tooLong: string;
    empty: string;
    noReason: string;
    signInAgain: string;
    tokenInvalid: string;
    forbidden: string;
    /** The reader's token is another site's than the article's (a page naming the wrong site). */
    otherSite: string;
    /** The service does not let this page's origin show the site's threads. */
    originRefused: string;
    notFound: string;
    duplicate: string;
    network: string;
    other: string;
  };
}

/** Readers' names and reasons kept apart from the words around them (first strong isolate). */
const isolate = (text: string): string => `\u2068${text}\u2069`;

const en: Strings = {
  heading: 'Comments',
  count: (n) => (n === 1 ? '1 comment' : `${n} comments`),
  loading: 'Loading comments…',
  unavailable: 'Comments are not available on this article.',
  loadFailed: 'The comments could not be loaded.',
  retry: 'Try again',
  signIn: 'Sign in to comment',
  signedInAs: (name) => `Signed in as ${name}`,
  emailName: 'Your name, shown with your comments',
  emailAddress: 'Your email address',
  emailSend: 'Email me a sign-in link',
  emailSent: (address) =>
    `Check your email: a sign-in link is on its way to ${address}. Open it, on any device, to sign in here. It works once, for 15 minutes.`,
  emailCode: (code) => `The link’s page will show the code ${code}.`,
  emailAgain: 'Use another address',
  emailExpired: 'The sign-in link has expired. Ask for a new one.',
  emailMissing: 'Give your name and an email address.',
  yourComment: 'Your comment',
  post: 'Post comment',
  yourReply: 'Your reply',
  postReply: 'Post reply',
  cancel: 'Cancel',
  sort: 'Sort comments',
  newest: 'Newest first',
  oldest: 'Oldest first',
  showMore: 'Show more comments',
  moreReplies: (n) => (n === 1 ? 'Show 1 more reply' : `Show ${n} more replies`),
  showReplies: (n) => (n === 1 ? 'Show 1 reply' : `Show ${n} replies`),
  inReplyTo: (name) => `in reply to ${isolate(name)}`,
  inReplyToDeleted: 'in reply to a deleted comment',
  newComments: (n) => (n === 1 ? '1 new comment' : `${n} new comments`),
  linkedComment: 'Linked comment',
  linkedAlone: 'You are viewing one comment and the conversation around it.',
  showAll: 'Show all comments',
  linkMissing: 'The comment this link points to is not available. It may have been removed, or be awaiting moderation.',
  reply: 'Reply',
  edit: 'Edit',
  save: 'Save',
  editComment: 'Edit your comment',
  del: 'Delete',
  confirmDelete: 'Delete this comment? This cannot be undone.',
  report: 'Report',
  reportComment: 'Report this comment',
  reason: 'Reason',
  reasons: { spam: 'Spam', abuse: 'Abuse or harassment', off_topic: 'Off topic', other: 'Something else' },
  note: 'Note (optional)',
  sendReport: 'Send report',
  reported: 'Thank you. A moderator will look at this comment.',
  alreadyReported: 'You have already reported this comment.',
  awaiting: 'Awaiting moderation: only you can see this comment for now.',
  rejected: 'Rejected by moderation: only you can see this comment.',
  rejectedWhy: (reasons) => `Rejected by moderation (${reasons}): only you can see this comment.`,
  deleted: 'This comment was deleted.',
  edited: 'edited',
  anonymous: 'Anonymous',
  you: 'you',
  posted: 'Your comment was posted.',
  postedHeld: 'Your comment was sent and is awaiting moderation.',
  commentDeleted: 'Your comment was deleted.',
  saved: 'Your changes were saved.',
  closedNow: 'Comments are now closed.',
  reopenedNow: 'Comments are open again.',
  notify: {
    title: 'Email notifications',
    when: 'Email me when',
    replies: 'someone replies to my comment',
    approved: 'my held comment is published',
    rejected: 'my comment is rejected, and why',
    frequency: 'How often',
    frequencies: { immediate: 'At once', hourly: 'One email an hour', daily: 'One email a day' },
    sentTo: (a) => `Emails go to ${isolate(a)}.`,
    address: 'Your email address',
    confirm: 'Send confirmation link',
    linkSent: (a) => `We sent a link to ${isolate(a)}: open it to confirm the address.`,
    saved: 'Your notification choices were saved.',
    unavailable: 'Email notifications are not available here.',
  },
  errors: {
    closed: 'We are no longer accepting comments on this article.',
    banned: 'You can no longer comment on this site.',
    bannedUntil: (until) => `You cannot comment on this site until ${until}.`,
    rateLimited: (s) =>
      s
        ? `You are commenting too quickly. Please wait ${s} seconds and try again.`
        : 'You are commenting too quickly. Please wait a moment.',
    tooLong: 'Your comment is too long. Please shorten it.',
    empty: 'Please write something first.',
    noReason: 'Please choose a reason.',
    signInAgain: 'Your sign-in has expired. Please sign in again.',
    tokenInvalid: 'Your sign-in was not accepted. Please sign in again.',
    forbidden: 'You cannot do this.',
    otherSite: 'You are signed in to another site. Sign in with this site’s login to comment.',
    originRefused: 'This page is not allowed to show this site’s comments.',
    notFound: 'This comment no longer exists.',
    duplicate: 'You have already posted this.',
    network: 'The connection failed. Your text is kept: please try again.',
    other: 'Something went wrong. Your text is kept: please try again.',
  },
};

const fr: Strings = {
  heading: 'Commentaires',
  count: (n) => (n <= 1 ? `${n} commentaire` : `${n} commentaires`),
  loading: 'Chargement des commentaires…',
  unavailable: 'Les commentaires ne sont pas disponibles pour cet article.',
  loadFailed: 'Les commentaires n’ont pas pu être chargés.',
  retry: 'Réessayer',
  signIn: 'Se connecter pour commenter',
  signedInAs: (name) => `Connecté en tant que ${name}`,
  emailName: 'Votre nom, affiché avec vos commentaires',
  emailAddress: 'Votre adresse e-mail',
  emailSend: 'M’envoyer un lien de connexion',
  emailSent: (address) =>
    `Consultez vos e-mails : un lien de connexion part vers ${address}. Ouvrez-le, sur n’importe quel appareil, pour vous connecter ici. Il sert une fois, pendant 15 minutes.`,
  emailCode: (code) => `La page du lien affichera le code ${code}.`,
  emailAgain: 'Utiliser une autre adresse',
  emailExpired: 'Le lien de connexion a expiré. Demandez-en un nouveau.',
  emailMissing: 'Indiquez votre nom et une adresse e-mail.',
  yourComment: 'Votre commentaire',
  post: 'Publier',
  yourReply: 'Votre réponse',
  postReply: 'Répondre',
  cancel: 'Annuler',
  sort: 'Trier les commentaires',
  newest: 'Les plus récents',
  oldest: 'Les plus anciens',
  showMore: 'Afficher plus de commentaires',
  moreReplies: (n) => (n <= 1 ? 'Afficher 1 autre réponse' : `Afficher ${n} autres réponses`),
  showReplies: (n) => (n <= 1 ? 'Afficher 1 réponse' : `Afficher les ${n} réponses`),
  inReplyTo: (name) => `en réponse à ${isolate(name)}`,
  inReplyToDeleted: 'en réponse à un commentaire supprimé',
  newComments: (n) => (n <= 1 ? '1 nouveau commentaire' : `${n} nouveaux commentaires`),
  linkedComment: 'Commentaire lié',
  linkedAlone: 'Vous voyez un seul commentaire et la conversation autour de lui.',
  showAll: 'Afficher tous les commentaires',
  linkMissing:
    'Le commentaire visé par ce lien n’est pas disponible. Il a peut-être été retiré, ou attend la modération.',
  reply: 'Répondre',
  edit: 'Modifier',
  save: 'Enregistrer',
  editComment: 'Modifier votre commentaire',
  del: 'Supprimer',
  confirmDelete: 'Supprimer ce commentaire ? C’est définitif.',
  report: 'Signaler',
  reportComment: 'Signaler ce commentaire',
  reason: 'Motif',
  reasons: { spam: 'Spam', abuse: 'Abus ou harcèlement', off_topic: 'Hors sujet', other: 'Autre chose' },
  note: 'Précision (facultative)',
  sendReport: 'Envoyer le signalement',
  reported: 'Merci. Un modérateur va examiner ce commentaire.',
  alreadyReported: 'Vous avez déjà signalé ce commentaire.',
  awaiting: 'En attente de modération : vous seul voyez ce commentaire pour l’instant.',
  rejected: 'Refusé par la modération : vous seul voyez ce commentaire.',
  rejectedWhy: (reasons) => `Refusé par la modération (${reasons}) : vous seul voyez ce commentaire.`,
  deleted: 'Ce commentaire a été supprimé.',
  edited: 'modifié',
  anonymous: 'Anonyme',
  you: 'vous',
  posted: 'Votre commentaire a été publié.',
  postedHeld: 'Votre commentaire a été envoyé et attend la modération.',
  commentDeleted: 'Votre commentaire a été supprimé.',
  saved: 'Vos modifications ont été enregistrées.',
  closedNow: 'Les commentaires sont désormais fermés.',
  reopenedNow: 'Les commentaires sont de nouveau ouverts.',
  notify: {
    title: 'Notifications par courriel',
    when: 'M’écrire quand',
    replies: 'quelqu’un répond à mon commentaire',
    approved: 'mon commentaire en attente est publié',
    rejected: 'mon commentaire est refusé, et pourquoi',
    frequency: 'Fréquence',
    frequencies: { immediate: 'Aussitôt', hourly: 'Un courriel par heure', daily: 'Un courriel par jour' },
    sentTo: (a) => `Les courriels sont envoyés à ${isolate(a)}.`,
    address: 'Votre adresse électronique',
    confirm: 'Envoyer le lien de confirmation',
    linkSent: (a) => `Nous avons envoyé un lien à ${isolate(a)} : ouvrez-le pour confirmer l’adresse.`,
    saved: 'Vos choix de notification sont enregistrés.',
    unavailable: 'Les notifications par courriel ne sont pas disponibles ici.',
  },
  errors: {
    closed: 'Nous n’acceptons plus de commentaires sur cet article.',
    banned: 'Vous ne pouvez plus commenter sur ce site.',
    bannedUntil: (until) => `Vous ne pouvez pas commenter sur ce site avant le ${until}.`,
    rateLimited: (s) =>
      s
        ? `Vous commentez trop vite. Patientez ${s} secondes puis réessayez.`
        : 'Vous commentez trop vite. Patientez un instant.',
    tooLong: 'Votre commentaire est trop long. Raccourcissez-le.',
    empty: 'Écrivez d’abord quelque chose.',
    noReason: 'Choisissez un motif.',
    signInAgain: 'Votre connexion a expiré. Reconnectez-vous.',
    tokenInvalid: 'Votre connexion n’a pas été acceptée. Reconnectez-vous.',
    forbidden: 'Vous ne pouvez pas faire cela.',
    otherSite:
      'Vous êtes connecté à un autre site que celui de cet article. Connectez-vous avec le compte de ce site pour commenter.',
    originRefused: 'Cette page n’est pas autorisée à afficher les commentaires de ce site.',
    notFound: 'Ce commentaire n’existe plus.',
    duplicate: 'Vous avez déjà publié ce texte.',
    network: 'La connexion a échoué. Votre texte est conservé : réessayez.',
    other: 'Une erreur est survenue. Votre texte est conservé : réessayez.',
  },
};

/** Arabic counts have six plural forms; `#` is the number. */
const arPlural = new Intl.PluralRules('ar');
const arCount = (n: number, forms: Record<Intl.LDMLPluralRule, string>): string =>
  forms[arPlural.select(n)].replace('#', String(n));

const ar: Strings = {
  heading: 'التعليقات',
  count: (n) =>
    arCount(n, {
      zero: 'لا تعليقات',
      one: 'تعليق واحد',
      two: 'تعليقان',
      few: '# تعليقات',
      many: '# تعليقًا',
      other: '# تعليق',
    }),
  loading: 'جارٍ تحميل التعليقات…',
  unavailable: 'التعليقات غير متاحة على هذا المقال.',
  loadFailed: 'تعذّر تحميل التعليقات.',
  retry: 'أعد المحاولة',
  signIn: 'سجّل الدخول للتعليق',
  signedInAs: (name) => `تم تسجيل الدخول باسم ${isolate(name)}`,
  emailName: 'اسمك، يظهر مع تعليقاتك',
  emailAddress: 'عنوان بريدك الإلكتروني',
  emailSend: 'أرسل لي رابط تسجيل الدخول',
  emailSent: (address) =>
    `تفقّد بريدك: رابط تسجيل الدخول في طريقه إلى ${isolate(address)}. افتحه على أي جهاز لتسجيل الدخول هنا. يعمل مرة واحدة خلال 15 دقيقة.`,
  emailCode: (code) => `ستعرض صفحة الرابط الرمز ${isolate(code)}.`,
  emailAgain: 'استخدم عنوانًا آخر',
  emailExpired: 'انتهت صلاحية رابط تسجيل الدخول. اطلب رابطًا جديدًا.',
  emailMissing: 'اكتب اسمك وعنوان بريد إلكتروني.',
  yourComment: 'تعليقك',
  post: 'انشر التعليق',
  yourReply: 'ردّك',
  postReply: 'انشر الردّ',
  cancel: 'إلغاء',
  sort: 'ترتيب التعليقات',
  newest: 'الأحدث أولًا',
  oldest: 'الأقدم أولًا',
  showMore: 'عرض المزيد من التعليقات',
  moreReplies: (n) =>
    arCount(n, {
      zero: 'لا ردود أخرى',
      one: 'عرض ردّ آخر',
      two: 'عرض ردّين آخرين',
      few: 'عرض # ردود أخرى',
      many: 'عرض # ردًّا آخر',
      other: 'عرض # ردّ آخر',
    }),
  showReplies: (n) =>
    arCount(n, {
      zero: 'لا ردود',
      one: 'عرض ردّ واحد',
      two: 'عرض الردّين',
      few: 'عرض # ردود',
      many: 'عرض # ردًّا',
      other: 'عرض # ردّ',
    }),
  inReplyTo: (name) => `ردًّا على ${isolate(name)}`,
  inReplyToDeleted: 'ردًّا على تعليق محذوف',
  newComments: (n) =>
    arCount(n, {
      zero: 'لا تعليقات جديدة',
      one: 'تعليق جديد واحد',
      two: 'تعليقان جديدان',
      few: '# تعليقات جديدة',
      many: '# تعليقًا جديدًا',
      other: '# تعليق جديد',
    }),
  linkedComment: 'التعليق المرتبط',
  linkedAlone: 'أنت تشاهد تعليقًا واحدًا والمحادثة من حوله.',
  showAll: 'عرض كل التعليقات',
  linkMissing: 'التعليق الذي يشير إليه هذا الرابط غير متاح. ربما حُذف، أو لا يزال بانتظار المراجعة.',
  reply: 'ردّ',
  edit: 'تعديل',
  save: 'حفظ',
  editComment: 'عدّل تعليقك',
  del: 'حذف',
  confirmDelete: 'هل تريد حذف هذا التعليق؟ لا يمكن التراجع عن ذلك.',
  report: 'إبلاغ',
  reportComment: 'أبلغ عن هذا التعليق',
  reason: 'السبب',
  reasons: { spam: 'رسائل مزعجة', abuse: 'إساءة أو تحرّش', off_topic: 'خارج الموضوع', other: 'سبب آخر' },
  note: 'ملاحظة (اختيارية)',
  sendReport: 'أرسل البلاغ',
  reported: 'شكرًا لك. سيراجع أحد المشرفين هذا التعليق.',
  alreadyReported: 'لقد أبلغت عن هذا التعليق من قبل.',
  awaiting: 'بانتظار المراجعة: لا يرى هذا التعليق أحد غيرك حاليًا.',
  rejected: 'رفضه المشرفون: لا يرى هذا التعليق أحد غيرك.',
  rejectedWhy: (reasons) => `رفضه المشرفون (${isolate(reasons)}): لا يرى هذا التعليق أحد غيرك.`,
  deleted: 'حُذف هذا التعليق.',
  edited: 'معدَّل',
  anonymous: 'مجهول',
  you: 'أنت',
  posted: 'نُشر تعليقك.',
  postedHeld: 'أُرسل تعليقك وهو بانتظار المراجعة.',
  commentDeleted: 'حُذف تعليقك.',
  saved: 'حُفظت تعديلاتك.',
  closedNow: 'أُغلق باب التعليقات الآن.',
  reopenedNow: 'أُعيد فتح باب التعليقات.',
  notify: {
    title: 'إشعارات البريد الإلكتروني',
    when: 'راسلني عندما',
    replies: 'يردّ أحدهم على تعليقي',
    approved: 'يُنشر تعليقي المعلّق',
    rejected: 'يُرفض تعليقي، مع السبب',
    frequency: 'عدد المرات',
    frequencies: { immediate: 'فورًا', hourly: 'رسالة كل ساعة', daily: 'رسالة كل يوم' },
    sentTo: (a) => `تُرسل الرسائل إلى ${isolate(a)}.`,
    address: 'عنوان بريدك الإلكتروني',
    confirm: 'أرسل رابط التأكيد',
    linkSent: (a) => `أرسلنا رابطًا إلى ${isolate(a)}: افتحه لتأكيد العنوان.`,
    saved: 'حُفظت خيارات الإشعارات.',
    unavailable: 'إشعارات البريد الإلكتروني غير متاحة هنا.',
  },
  errors: {
    closed: 'لم نعد نقبل التعليقات على هذا المقال.',
    banned: 'لم يعد بإمكانك التعليق على هذا الموقع.',
    bannedUntil: (until) => `لا يمكنك التعليق على هذا الموقع حتى ${isolate(until)}.`,
    rateLimited: (s) =>
      s ? `أنت تعلّق بسرعة كبيرة. انتظر ${s} ثانية ثم أعد المحاولة.` : 'أنت تعلّق بسرعة كبيرة. انتظر قليلًا.',
    tooLong: 'تعليقك طويل جدًا. يُرجى اختصاره.',
    empty: 'اكتب شيئًا أولًا.',
    noReason: 'اختر سببًا.',
    signInAgain: 'انتهت صلاحية تسجيل دخولك. سجّل الدخول مرة أخرى.',
    tokenInvalid: 'لم يُقبل تسجيل دخولك. سجّل الدخول مرة أخرى.',
    forbidden: 'لا يمكنك القيام بذلك.',
    otherSite: 'أنت مسجّل الدخول في موقع آخر. سجّل الدخول بحساب هذا الموقع للتعليق.',
    originRefused: 'لا يُسمح لهذه الصفحة بعرض تعليقات هذا الموقع.',
    notFound: 'هذا التعليق لم يعد موجودًا.',
    duplicate: 'لقد نشرت هذا من قبل.',
    network: 'فشل الاتصال. نصّك محفوظ: أعد المحاولة.',
    other: 'حدث خطأ ما. نصّك محفوظ: أعد المحاولة.',
  },
};

const TABLES: Record<string, Strings> = { en, fr, ar };
const RIGHT_TO_LEFT = new Set(['ar']);

/**
 * The table for a BCP 47 tag ("fr-CA" → fr), English when none matches, and the direction its
 * words are written in: the element lays itself out in its own language's direction, whatever the
 * page's (English strings on a right-to-left page stay left-to-right).
 */
export function stringsFor(lang: string | null | undefined): { lang: string; t: Strings; dir: 'ltr' | 'rtl' } {
  const base = (lang ?? '').toLowerCase().split('-')[0];
  if (!TABLES[base]) return { lang: 'en', t: en, dir: 'ltr' };
  return { lang: lang!, t: TABLES[base], dir: RIGHT_TO_LEFT.has(base) ? 'rtl' : 'ltr' };
}
