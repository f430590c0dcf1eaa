import { createHash } from 'node:crypto';

/** Letters and digits that are not mistaken for one another (no 0/O, 1/I). */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A short code derived from the page's pickup hash, shown both by the page that asked for the
 * link and by the link's page: a reader who opens a link asked for by someone else's page (to
 * be signed in there as them) sees a code that their own page does not show. The embed derives it
 * the same way (web/embed/src/email-sign-in.ts).
 */
export function matchCode(pickupHash: string): string {
  const digest = createHash('sha256').update(`comment-desk-match:${pickupHash}`).digest();
  const letters = Array.from(digest.subarray(0, 6), (byte) => ALPHABET[byte % 32]).join('');
  return `${letters.slice(0, 3)}-${letters.slice(3)}`;
}
