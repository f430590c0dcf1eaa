import { commentAnchor, linkedCommentId } from './comment-link';

describe('links to one comment', () => {
  const id = '6f1c1f8e-2a8e-4f58-9d1e-6f7d7f1b2c3d';

  it('reads the comment from the fragment the console writes, in any case', () => {
    expect(linkedCommentId(`#${commentAnchor(id)}`)).toBe(id);
    expect(linkedCommentId(`#comment-${id.toUpperCase()}`)).toBe(id);
  });

  it('ignores any other fragment', () => {
    for (const hash of ['', '#', '#comments', `#comment-${id}x`, `#comment-${id.slice(0, -1)}`, `comment-${id}`])
      expect(linkedCommentId(hash)).toBeNull();
  });
});
