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
  newComments: (n: number) => string;
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
  errors: {
    closed: string;
    banned: string;
    rateLimited: (seconds: number | null) => string;
    tooLong: string;
    empty: string;
    signInAgain: string;
    forbidden: string;
    notFound: string;
    duplicate: string;
    network: string;
    other: string;
  };
}

const en: Strings = {
  heading: 'Comments',
  count: (n) => (n === 1 ? '1 comment' : `${n} comments`),
  loading: 'Loading comments…',
  unavailable: 'Comments are not available on this article.',
  loadFailed: 'The comments could not be loaded.',
  retry: 'Try again',
  signIn: 'Sign in to comment',
  signedInAs: (name) => `Signed in as ${name}`,
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
  newComments: (n) => (n === 1 ? '1 new comment' : `${n} new comments`),
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
  errors: {
    closed: 'We are no longer accepting comments on this article.',
    banned: 'You can no longer comment on this site.',
    rateLimited: (s) =>
      s
        ? `You are commenting too quickly. Please wait ${s} seconds and try again.`
        : 'You are commenting too quickly. Please wait a moment.',
    tooLong: 'Your comment is too long. Please shorten it.',
    empty: 'Please write something first.',
    signInAgain: 'Your sign-in has expired. Please sign in again.',
    forbidden: 'You cannot do this.',
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
  newComments: (n) => (n <= 1 ? '1 nouveau commentaire' : `${n} nouveaux commentaires`),
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
  errors: {
    closed: 'Nous n’acceptons plus de commentaires sur cet article.',
    banned: 'Vous ne pouvez plus commenter sur ce site.',
    rateLimited: (s) =>
      s
        ? `Vous commentez trop vite. Patientez ${s} secondes puis réessayez.`
        : 'Vous commentez trop vite. Patientez un instant.',
    tooLong: 'Votre commentaire est trop long. Raccourcissez-le.',
    empty: 'Écrivez d’abord quelque chose.',
    signInAgain: 'Votre connexion a expiré. Reconnectez-vous.',
    forbidden: 'Vous ne pouvez pas faire cela.',
    notFound: 'Ce commentaire n’existe plus.',
    duplicate: 'Vous avez déjà publié ce texte.',
    network: 'La connexion a échoué. Votre texte est conservé : réessayez.',
    other: 'Une erreur est survenue. Votre texte est conservé : réessayez.',
  },
};

const TABLES: Record<string, Strings> = { en, fr };

/** The table for a BCP 47 tag ("fr-CA" → fr), English when none matches. */
export function stringsFor(lang: string | null | undefined): { lang: string; t: Strings } {
  const base = (lang ?? '').toLowerCase().split('-')[0];
  return TABLES[base] ? { lang: lang!, t: TABLES[base] } : { lang: 'en', t: en };
}
