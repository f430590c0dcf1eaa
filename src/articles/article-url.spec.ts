import fc from 'fast-check';
import {
  ArticleUrlError,
  ArticleUrlPolicy,
  articleUrlProblem,
  isUnderPrefix,
  lookupCandidates,
  normalizeArticleUrl,
  readsAlikeEverywhere,
} from './article-url';

const DEFAULT: ArticleUrlPolicy = { queryParams: [], trailingSlash: 'strip' };
const normalize = (url: string, policy: Partial<ArticleUrlPolicy> = {}) =>
  normalizeArticleUrl(url, { ...DEFAULT, ...policy });
const BLOG = 'https://news.example/blog/';

describe('normalizeArticleUrl', () => {
  it.each([
    ['a fragment', `${BLOG}a#frag`],
    ['a tracking parameter', `${BLOG}a?utm_source=x`],
    ['any parameter the site does not name', `${BLOG}a?fbclid=1&page=2&x`],
    ['a trailing slash', `${BLOG}a/`],
    ['a dot segment', 'https://news.example/./blog/./a'],
    ['a dot-dot segment', 'https://news.example/blog/x/../a'],
    ['encoded dot segments', 'https://news.example/blog/x/%2e%2E/a'],
    ['an encoded unreserved character', `${BLOG}%61`],
    ['repeated slashes', 'https://news.example//blog///a'],
    ['an upper-case scheme and host, and the default port', 'HTTPS://NEWS.Example:443/blog/a'],
    ['a backslash', 'https://news.example/blog\\a'],
  ])('makes %s the same article', (_what, url) => {
    expect(normalize(url)).toBe(`${BLOG}a`);
  });

  it('resolves dot segments before anything else reads the path', () => {
    expect(normalize('https://news.example/blog/../admin/secret')).toBe('https://news.example/admin/secret');
    expect(normalize('https://news.example/blog/%2e%2e/admin')).toBe('https://news.example/admin');
  });

  it('keeps an encoded slash encoded (decoding it would change the segments), in upper-case hex', () => {
    expect(normalize(`${BLOG}%2f%2fevil.example`)).toBe(`${BLOG}%2F%2Fevil.example`);
    expect(normalize(`${BLOG}caf%c3%a9`)).toBe(`${BLOG}caf%C3%A9`);
    expect(normalize(`${BLOG}café`)).toBe(`${BLOG}caf%C3%A9`);
    expect(normalize(`${BLOG}100%`)).toBe(`${BLOG}100%25`);
  });

  it('keeps the query parameters the site names, in name order, and drops the others', () => {
    const policy = { queryParams: ['p', 'id'] };
    expect(normalize('https://news.example/?utm_medium=x&p=12&ref=tw', policy)).toBe('https://news.example/?p=12');
    expect(normalize('https://news.example/item?p=1&id=2', policy)).toBe('https://news.example/item?id=2&p=1');
    expect(normalize('https://news.example/item?id=2&p=1#c', policy)).toBe('https://news.example/item?id=2&p=1');
    expect(normalize('https://news.example/item?id=a%20b', policy)).toBe(
      normalize('https://news.example/item?id=a+b', policy),
    );
  });

  it('applies the trailing-slash policy, leaving the root alone', () => {
    expect(normalize(`${BLOG}a`, { trailingSlash: 'add' })).toBe(`${BLOG}a/`);
    expect(normalize(`${BLOG}a//`, { trailingSlash: 'add' })).toBe(`${BLOG}a/`);
    expect(normalize(`${BLOG}a/`, { trailingSlash: 'keep' })).toBe(`${BLOG}a/`);
    expect(normalize(`${BLOG}a`, { trailingSlash: 'keep' })).toBe(`${BLOG}a`);
    expect(normalize('https://news.example', { trailingSlash: 'strip' })).toBe('https://news.example/');
  });

  it('refuses what is not an http(s) URL, and user names before the host', () => {
    for (const url of [
      'javascript:alert(1)',
      'ftp://news.example/a',
      'news.example/a',
      'https://news.example@evil.example/blog/',
      'https://user:pw@news.example/blog/a',
      'https://@news.example/blog/a',
    ]) {
      expect(articleUrlProblem(url)).not.toBeNull();
      expect(() => normalize(url)).toThrow(ArticleUrlError);
    }
    expect(articleUrlProblem(`${BLOG}@evil.example/`)).toBeNull(); // an "@" in the path is a path
  });

  it('is idempotent, and one form of a URL is one stored form', () => {
    const segment = fc.stringMatching(/^([a-zA-Z0-9._~!$&'()*+,;=:@-]|%[0-9a-fA-F]{2}|%|\.\.?)*$/, { maxLength: 12 });
    const url = fc
      .tuple(fc.array(segment, { maxLength: 5 }), fc.constantFrom('', '/', '?p=1&utm_x=2', '#f', '/?q=a+b'))
      .map(([segments, tail]) => `https://news.example/${segments.join('/')}${tail}`);
    const policies = fc.record({
      queryParams: fc.constantFrom([], ['p'], ['q', 'p']),
      trailingSlash: fc.constantFrom('strip' as const, 'add' as const, 'keep' as const),
    });
    fc.assert(
      fc.property(url, policies, (u, policy) => {
        const once = normalizeArticleUrl(u, policy);
        expect(normalizeArticleUrl(once, policy)).toBe(once);
        expect(new URL(once).href).toBe(once);
      }),
    );
  });
});

describe('isUnderPrefix', () => {
  it('compares origins and whole path segments, with something below the prefix', () => {
    expect(isUnderPrefix(`${BLOG}a`, BLOG)).toBe(true);
    expect(isUnderPrefix(`${BLOG}a/b?p=1`, 'https://NEWS.example/blog')).toBe(true);
    expect(isUnderPrefix('https://news.example/blog', BLOG)).toBe(false);
    expect(isUnderPrefix('https://news.example/blogs/a', 'https://news.example/blog')).toBe(false);
    expect(isUnderPrefix('https://news.example/admin/secret', BLOG)).toBe(false);
    expect(isUnderPrefix(`http://news.example/blog/a`, BLOG)).toBe(false);
    expect(isUnderPrefix(`https://news.example.evil/blog/a`, BLOG)).toBe(false);
    expect(isUnderPrefix(`https://news.example:8443/blog/a`, BLOG)).toBe(false);
    expect(isUnderPrefix('https://news.example/a', 'https://news.example/')).toBe(true);
    expect(isUnderPrefix('https://news.example/~me/a', 'https://news.example/%7eme/')).toBe(true);
  });
});

describe('readsAlikeEverywhere', () => {
  it('is false for encoded slashes and backslashes and for an "@" in the path', () => {
    expect(readsAlikeEverywhere(`${BLOG}a`)).toBe(true);
    expect(readsAlikeEverywhere(`${BLOG}a?x=%2F@`)).toBe(true);
    expect(readsAlikeEverywhere(`${BLOG}%2F%2Fevil.example`)).toBe(false);
    expect(readsAlikeEverywhere(`${BLOG}%5Cevil.example`)).toBe(false);
    expect(readsAlikeEverywhere(`${BLOG}%40evil.example`)).toBe(true);
    expect(readsAlikeEverywhere(`${BLOG}@evil.example`)).toBe(false);
  });
});

describe('lookupCandidates', () => {
  it('tries the URL as given, then normalized, then with the other trailing slash unless the slash counts', () => {
    expect(lookupCandidates(`${BLOG}a/#c`, DEFAULT)).toEqual([`${BLOG}a/#c`, `${BLOG}a`, `${BLOG}a/`]);
    expect(lookupCandidates(`${BLOG}a`, { ...DEFAULT, trailingSlash: 'add' })).toEqual([`${BLOG}a`, `${BLOG}a/`]);
    expect(lookupCandidates(`${BLOG}a/`, { ...DEFAULT, trailingSlash: 'keep' })).toEqual([`${BLOG}a/`]);
    expect(lookupCandidates('not a url', DEFAULT)).toEqual(['not a url']);
  });
});
