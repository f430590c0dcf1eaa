import { ModerationRules } from './moderation-rules';

const rules = new ModerationRules();
const reader = { id: 'r', name: null, role: 'commenter' as const };

describe('ModerationRules', () => {
  it('publishes in post mode', () => {
    expect(rules.decide({ author: reader, authorOnPremod: false, moderationMode: 'post' })).toEqual({ status: 'published', reasons: [] });
  });
  it('holds in pre mode and for users on pre-moderation, saying why', () => {
    expect(rules.decide({ author: reader, authorOnPremod: false, moderationMode: 'pre' }).status).toBe('pending');
    const held = rules.decide({ author: reader, authorOnPremod: true, moderationMode: 'post' });
    expect(held.status).toBe('pending');
    expect(held.reasons).toEqual(['author is on pre-moderation']);
  });
  it('approves moderators and admins at once', () => {
    for (const role of ['moderator', 'admin'] as const) {
      expect(rules.decide({ author: { ...reader, role }, authorOnPremod: true, moderationMode: 'pre' }).status).toBe('approved');
    }
  });
});
