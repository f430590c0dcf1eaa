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
export const isolate = (text: string): string => `\u2068${text}\u2069`;
