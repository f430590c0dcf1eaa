/**
 * Links to one comment: `#comment-<id>` on the article's page, as the moderators' console writes
 * them. The element reads the page's fragment itself: the comment's element, named so, is in the
 * thread's shadow root, where the browser's own scrolling to a fragment does not look.
 */
const LINK = /^#comment-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The id of the comment a page's fragment links to, or null. */
export function linkedCommentId(hash: string): string | null {
  const match = LINK.exec(hash);
  return match ? match[1].toLowerCase() : null;
}

/** The element id a comment is drawn with. */
export const commentAnchor = (id: string): string => `comment-${id}`;
