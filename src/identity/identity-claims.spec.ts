import { AppError } from '../errors/app-error';
import { claimAt, roleOf, toVerifiedIdentity } from './identity-claims';

describe('claims in our terms', () => {
  it('finds a claim by name first, then by a dotted path through objects only', () => {
    const claims = {
      'https://news.example/roles': ['a'],
      realm_access: { roles: ['r'] },
      resource_access: { desk: { roles: ['d'] } },
      list: [{ x: 1 }],
    };
    expect(claimAt(claims, 'https://news.example/roles')).toEqual(['a']);
    expect(claimAt(claims, 'realm_access.roles')).toEqual(['r']);
    expect(claimAt(claims, 'resource_access.desk.roles')).toEqual(['d']);
    expect(claimAt(claims, 'list.0.x')).toBeUndefined();
    expect(claimAt(claims, 'realm_access.toString')).toBeUndefined();
    expect(claimAt(claims, 'nothing.here')).toBeUndefined();
  });

  it('gives admin before moderator, a string or any of an array; other values are commenters', () => {
    expect(roleOf(['moderator', 'admin'])).toBe('admin');
    expect(roleOf('moderator')).toBe('moderator');
    expect(roleOf(['editor', 42, null])).toBe('commenter');
    expect(roleOf({ admin: true })).toBe('commenter');
    expect(roleOf(undefined)).toBe('commenter');
    expect(roleOf(['Staff'], { moderator: ['Staff'] })).toBe('moderator');
    // A site that renames the roles: our own names mean nothing there.
    expect(roleOf('admin', { admin: ['Owner'] })).toBe('commenter');
  });

  it('in strict mode (our own login) takes only our role names, as a string', () => {
    expect(roleOf(undefined, {}, true)).toBe('commenter');
    expect(roleOf('commenter', {}, true)).toBe('commenter');
    expect(roleOf('admin', {}, true)).toBe('admin');
    for (const value of ['superuser', ['admin'], null, 1]) {
      expect(() => roleOf(value, {}, true)).toThrow(AppError);
    }
  });

  it('keeps an email only when it looks like one, and believes email_verified as true or "true"', () => {
    const identity = (claims: Record<string, unknown>) => toVerifiedIdentity({ sub: 's', ...claims }, {}, 1);
    expect(identity({ email: 'a@b.example', email_verified: 'true' })).toMatchObject({
      email: 'a@b.example',
      emailVerified: true,
    });
    expect(identity({ email: 'a@b.example', email_verified: 'yes' })).toMatchObject({ emailVerified: false });
    expect(identity({ email: 'not an address', email_verified: true })).toMatchObject({
      email: null,
      emailVerified: false,
    });
    expect(identity({ email: ['a@b.example'] })).toMatchObject({ email: null });
  });

  it('reads badges only when the site names their claim: short texts, at most ten', () => {
    const many = Array.from({ length: 20 }, (_, i) => `b${i}`);
    expect(toVerifiedIdentity({ sub: 's', badges: many }, {}, 1).badges).toEqual([]);
    expect(toVerifiedIdentity({ sub: 's', badges: many }, { claims: { badges: 'badges' } }, 1).badges).toEqual(
      many.slice(0, 10),
    );
    expect(toVerifiedIdentity({ sub: 's', b: 'one' }, { claims: { badges: 'b' } }, 1).badges).toEqual(['one']);
  });

  it('reads the id and name from the claims the site names', () => {
    expect(
      toVerifiedIdentity(
        { sub: 'x', oid: 'o-1', preferred_username: 'pat' },
        { claims: { id: 'oid', name: 'preferred_username' } },
        5,
      ),
    ).toEqual({
      sub: 'o-1',
      name: 'pat',
      role: 'commenter',
      email: null,
      emailVerified: false,
      badges: [],
      expiresAt: 5,
    });
    expect(() => toVerifiedIdentity({ sub: 'x' }, { claims: { id: 'oid' } }, 5)).toThrow(
      'The token has no usable sub claim',
    );
    expect(() => toVerifiedIdentity({ sub: 'x', name: '\uD800' }, {}, 5)).toThrow(
      'The token has an unusable name claim',
    );
  });
});
