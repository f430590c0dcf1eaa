import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { generateKeyPairSync } from 'node:crypto';
import { publicSiteIdentity } from './site-identity';
import { SiteIdentityDto, siteIdentityProblems } from './site-identity.dto';

/** The fields an admin's identity fails on, validated as the app's pipe does (whitelist included). */
function failing(plain: object): string[] {
  const errors = validateSync(plainToInstance(SiteIdentityDto, plain), { whitelist: true, forbidNonWhitelisted: true });
  const fields = (list: typeof errors, prefix = ''): string[] =>
    list.flatMap((e) => {
      const field = prefix ? `${prefix}.${e.property}` : e.property;
      return [...(e.constraints ? [field] : []), ...fields(e.children ?? [], field)];
    });
  return fields(errors);
}

describe("a site's identity as an admin sets it", () => {
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();

  it('accepts the shapes of the usual providers', () => {
    expect(
      failing({
        issuer: 'https://sso.example/realms/news',
        audience: 'comments',
        signIn: { clientId: 'desk', clientSecret: 's', scopes: ['profile', 'email'] },
        claims: { name: 'preferred_username', role: 'realm_access.roles', badges: 'https://news.example/badges' },
        roles: { moderator: ['comments-moderator'], admin: [] },
      }),
    ).toEqual([]);
    expect(failing({ jwksUrl: 'http://127.0.0.1:4000/jwks', publicKeys: [pem], secrets: ['x'.repeat(32)] })).toEqual(
      [],
    );
  });

  it('refuses what would not work or not be safe, field by field', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(
      failing({
        issuer: 'http://sso.example',
        jwksUrl: 'https://user:pass@sso.example/jwks',
        publicKeys: [small],
        secrets: ['short'],
        signIn: { clientSecret: 's', scopes: ['has space'] },
        claims: { role: 'with space', extra: 'x' },
        roles: { moderator: 'not-a-list' },
        unknown: true,
      }).sort(),
    ).toEqual(
      [
        'issuer',
        'jwksUrl',
        'publicKeys',
        'secrets',
        'signIn.clientId',
        'signIn.scopes',
        'claims.role',
        'claims.extra',
        'roles.moderator',
        'unknown',
      ].sort(),
    );
    expect(failing({ publicKeys: ['-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----'] })).toEqual([
      'publicKeys',
    ]);
    expect(failing({ secrets: Array.from({ length: 6 }, (_, i) => `${i}`.repeat(32)) })).toEqual(['secrets']);
  });

  it('needs a source of keys, and an issuer to sign in with', () => {
    expect(siteIdentityProblems({ audience: 'x' }).map((p) => p.field)).toEqual(['issuer']);
    expect(
      siteIdentityProblems({ jwksUrl: 'https://k.example', signIn: { clientId: 'c' } }).map((p) => p.field),
    ).toEqual(['signIn']);
    expect(siteIdentityProblems({ issuer: 'https://sso.example', signIn: { clientId: 'c' } })).toEqual([]);
  });

  it('is read back without its secrets: fingerprints say which are set', () => {
    const shown = publicSiteIdentity({
      issuer: 'https://sso.example',
      secrets: ['a'.repeat(32), 'b'.repeat(32)],
      signIn: { clientId: 'desk', clientSecret: 'top-secret' },
    });
    expect(shown).toEqual({
      issuer: 'https://sso.example',
      secretFingerprints: [expect.stringMatching(/^[0-9a-f]{12}$/), expect.stringMatching(/^[0-9a-f]{12}$/)],
      signIn: { clientId: 'desk', clientSecretFingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) },
    });
    expect(JSON.stringify(shown)).not.toMatch(/aaaa|bbbb|top-secret/);
    expect(publicSiteIdentity({ jwksUrl: 'https://k.example' })).toEqual({ jwksUrl: 'https://k.example' });
  });
});
