import { readerOf, refusalOf, tokenTrouble } from './reader';
import { initialThread } from './thread-state';
import { reduce } from './thread-reducer';

const NOW = Date.UTC(2026, 0, 1);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: object) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.signature`;

describe("the page's token, as the embed reads it", () => {
  it('names the reader of a well-formed token, and finds nothing wrong with one still valid', () => {
    const token = jwt({ sub: 'ada', name: 'Ada', exp: NOW / 1000 + 60 });
    expect(readerOf(token)).toEqual({ id: 'ada', name: 'Ada' });
    expect(tokenTrouble(token, NOW)).toBeNull();
    expect(tokenTrouble(jwt({ sub: 'ada' }), NOW)).toBeNull(); // no exp: the service decides
    expect(tokenTrouble(null, NOW)).toBeNull();
  });

  it("names the reader of another site's token as that site's comments name them", () => {
    const token = jwt({ sub: 'ada', name: 'Ada' });
    expect(readerOf(token, 'evening')).toEqual({ id: 'evening:ada', name: 'Ada' });
    expect(readerOf(token, 'default')).toEqual({ id: 'ada', name: 'Ada' }); // the first site, named
    expect(readerOf(token, null)).toEqual({ id: 'ada', name: 'Ada' });
  });

  it('calls a token that is not a JWT naming a reader invalid', () => {
    for (const token of [
      'not a token',
      'a.b.c',
      `${b64({})}.${b64({ name: 'no sub' })}.sig`,
      jwt({ sub: 'ada' }) + '.x',
    ])
      expect(tokenTrouble(token, NOW)).toBe('invalid');
  });

  it('calls one whose exp has passed expired', () => {
    expect(tokenTrouble(jwt({ sub: 'ada', exp: NOW / 1000 - 1 }), NOW)).toBe('expired');
    expect(tokenTrouble(jwt({ sub: 'ada', exp: NOW / 1000 }), NOW)).toBe('expired');
  });

  it('takes a refusal by the service as invalid (another key) unless the token or the detail says expired', () => {
    expect(refusalOf(jwt({ sub: 'ada' }), NOW, 'The bearer token is not valid')).toBe('invalid');
    expect(refusalOf(jwt({ sub: 'ada' }), NOW, null)).toBe('invalid');
    expect(refusalOf(jwt({ sub: 'ada' }), NOW, 'The bearer token has expired: sign in again')).toBe('expired');
    expect(refusalOf(jwt({ sub: 'ada', exp: NOW / 1000 - 5 }), NOW, null)).toBe('expired');
  });

  it('signs the reader out when the token is in trouble, and in again with a good one', () => {
    const ada = { id: 'ada', name: 'Ada' };
    const bad = reduce(initialThread('newest', null), { type: 'signedIn', me: ada, trouble: 'expired' });
    expect([bad.me, bad.signInTrouble]).toEqual([null, 'expired']);
    const refused = reduce(reduce(bad, { type: 'signedIn', me: ada }), { type: 'signInRefused', trouble: 'invalid' });
    expect([refused.me, refused.signInTrouble]).toEqual([null, 'invalid']);
    const good = reduce(refused, { type: 'signedIn', me: ada, trouble: null });
    expect([good.me, good.signInTrouble]).toEqual([ada, null]);
  });
});
