import { ModerationSettings } from '../settings/moderation-settings.entity';
import { ModerationRules, RuleFacts } from './moderation-rules';

const settings = (over: Partial<ModerationSettings> = {}) =>
  ({
    id: 1,
    version: 1,
    bannedWords: [],
    suspectWords: [],
    maxLinks: 5,
    premodNewCommenters: 0,
    reportThreshold: 3,
    ...over,
  }) as ModerationSettings;
const reader = { id: 'r', name: null, role: 'commenter' as const, siteId: 1 };
const facts = (over: Partial<RuleFacts> = {}): RuleFacts => ({
  author: reader,
  authorOnPremod: false,
  authorApprovedCount: 0,
  openReportCount: 0,
  moderationMode: 'post',
  body: 'A fair point about the budget.',
  settings: settings(),
  ...over,
});

describe('ModerationRules', () => {
  const rules = new ModerationRules();

  it('publishes in post mode', () => {
    expect(rules.decide(facts())).toEqual({ status: 'published', reasons: [] });
  });
  it('holds in pre mode and for users on pre-moderation, saying why', () => {
    expect(rules.decide(facts({ moderationMode: 'pre' }))).toEqual({
      status: 'pending',
      reasons: ['article is pre-moderated'],
    });
    expect(rules.decide(facts({ authorOnPremod: true }))).toEqual({
      status: 'pending',
      reasons: ['author is on pre-moderation'],
    });
  });
  it('rejects banned words, naming them', () => {
    const s = settings({ bannedWords: ['foo', 'bar'], version: 2 });
    expect(rules.decide(facts({ body: 'F0O and b.a.r', settings: s }))).toEqual({
      status: 'rejected',
      reasons: ['banned words: foo, bar'],
    });
  });
  it('holds suspect words and too many links', () => {
    const s = settings({ suspectWords: ['refund'], maxLinks: 1, version: 3 });
    const decision = rules.decide(facts({ body: 'refund at https://a.example and https://b.example', settings: s }));
    expect(decision.status).toBe('pending');
    expect(decision.reasons).toEqual(['suspect words: refund', '2 links (at most 1 go up unseen)']);
  });
  it('holds new commenters until enough of their comments were approved', () => {
    const s = settings({ premodNewCommenters: 2, version: 4 });
    expect(rules.decide(facts({ settings: s, authorApprovedCount: 1 })).status).toBe('pending');
    expect(rules.decide(facts({ settings: s, authorApprovedCount: 2 })).status).toBe('published');
  });
  it('keeps holding an edited comment that its reports withheld', () => {
    expect(rules.decide(facts({ openReportCount: 3 }))).toEqual({
      status: 'pending',
      reasons: ['3 open reports (threshold 3)'],
    });
  });
  it('rebuilds its word lists when the settings version changes', () => {
    expect(
      rules.decide(facts({ settings: settings({ bannedWords: ['alpha'], version: 10 }), body: 'alpha' })).status,
    ).toBe('rejected');
    expect(
      rules.decide(facts({ settings: settings({ bannedWords: ['beta'], version: 11 }), body: 'alpha' })).status,
    ).toBe('published');
  });
  it('approves moderators and admins at once', () => {
    for (const role of ['moderator', 'admin'] as const) {
      const decision = rules.decide(
        facts({ author: { ...reader, role }, authorOnPremod: true, moderationMode: 'pre', body: 'foo' }),
      );
      expect(decision.status).toBe('approved');
    }
  });
});
