import jwt from 'jsonwebtoken';
import { generateKeyPairSync } from 'node:crypto';
import { AppError } from '../errors/app-error';
import { environmentIdentity, environmentVerifier } from './environment-identity';

const SECRET = 'test-secret-that-is-long-enough';
const now = () => Math.floor(Date.now() / 1000);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

async function refusal(verifying: Promise<unknown>): Promise<string> {
  const error = await verifying.then(
    () => new Error('accepted'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).status).toBe(401);
  return (error as AppError).message;
}

describe("the installation's own login (the environment's JWT_* settings)", () => {
  describe('with JWT_SECRET', () => {
    const verifier = environmentVerifier({ JWT_SECRET: SECRET });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signed = (claims: object) => jwt.sign({ exp: now() + 3600, ...claims }, SECRET);
    const bad: [string, () => string, string][] = [
      [
        'alg none',
        () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'eve', role: 'admin', exp: now() + 3600 })}.`,
        'The bearer token is not valid',
      ],
      [
        'RS256 where HS256 is expected',
        () => jwt.sign({ sub: 'eve' }, privateKey, { algorithm: 'RS256', expiresIn: '1h' }),
        'The bearer token is not valid',
      ],
      [
        'a wrong key',
        () => jwt.sign({ sub: 'eve' }, 'another-secret-of-some-length', { expiresIn: '1h' }),
        'The bearer token is not valid',
      ],
      ['expired', () => signed({ sub: 'eve', exp: now() - 60 }), 'The bearer token has expired: sign in again'],
      ['not yet valid', () => signed({ sub: 'eve', nbf: now() + 3600 }), 'The bearer token is not valid yet (nbf)'],
      [
        'no exp',
        () => jwt.sign({ sub: 'eve', role: 'admin' }, SECRET),
        'The bearer token has no exp claim: tokens must say when they expire',
      ],
      [
        'an exp that is not a number',
        () => jwt.sign(JSON.stringify({ sub: 'eve', exp: 'never' }), SECRET),
        'The bearer token is not valid',
      ],
      ['no sub', () => signed({ name: 'eve' }), 'The token has no usable sub claim'],
      ['an empty sub', () => signed({ sub: '' }), 'The token has no usable sub claim'],
      ['a numeric sub', () => signed({ sub: 42 }), 'The token has no usable sub claim'],
      ['an absurdly long sub', () => signed({ sub: 'x'.repeat(5000) }), 'The token has no usable sub claim'],
      ['an unknown role', () => signed({ sub: 'eve', role: 'superuser' }), 'The token has an unknown role'],
      ['a role list', () => signed({ sub: 'eve', role: ['admin'] }), 'The token has an unknown role'],
      [
        'a name that is not text',
        () => signed({ sub: 'eve', name: { first: 'e' } }),
        'The token has an unusable name claim',
      ],
      ['garbage', () => 'not.a.token', 'The bearer token is not valid'],
      [
        'HS384',
        () => jwt.sign({ sub: 'eve' }, SECRET, { algorithm: 'HS384', expiresIn: '1h' }),
        'The bearer token is not valid',
      ],
    ];
    it.each(bad)('refuses %s saying why, as it always did', async (_, make, detail) => {
      expect(await refusal(verifier.verify(make()))).toBe(detail);
    });

    it('accepts our role names and no role, and believes a verified token again until its exp', async () => {
      for (const role of ['commenter', 'moderator', 'admin'] as const) {
        expect(await verifier.verify(signed({ sub: `u-${role}`, role, name: 'N\u202Eo' }))).toMatchObject({
          sub: `u-${role}`,
          role,
          name: 'No',
        });
      }
      const token = signed({ sub: 'plain' });
      const first = await verifier.verify(token);
      expect(first.role).toBe('commenter');
      expect(await verifier.verify(token)).toBe(first);
    });
  });

  describe('with JWT_PUBLIC_KEY, JWT_ISSUER and JWT_AUDIENCE', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const env = {
      JWT_PUBLIC_KEY: pem,
      JWT_SECRET: SECRET,
      JWT_ISSUER: 'https://login.example',
      JWT_AUDIENCE: 'comment-desk',
    };
    const verifier = environmentVerifier(env);
    const sign = (claims: object, options: jwt.SignOptions = {}) =>
      jwt.sign(claims, privateKey, {
        algorithm: 'RS256',
        expiresIn: '1h',
        issuer: 'https://login.example',
        audience: 'comment-desk',
        ...options,
      });

    it('is the public key alone (it wins over the secret), with the issuer and audience', () => {
      expect(environmentIdentity(env)).toEqual({
        publicKeys: [pem],
        issuer: 'https://login.example',
        audience: 'comment-desk',
      });
    });

    it('accepts RS256 from the private key, with a kid or without', async () => {
      expect((await verifier.verify(sign({ sub: 'mod', role: 'moderator' }))).role).toBe('moderator');
      expect((await verifier.verify(sign({ sub: 'mod2' }, { keyid: 'k1' }))).sub).toBe('mod2');
    });

    it('refuses HS256 with the public key or the secret, PS256, a wrong issuer and a wrong audience', async () => {
      for (const token of [
        jwt.sign({ sub: 'mod' }, pem, { algorithm: 'HS256', expiresIn: '1h' }),
        jwt.sign({ sub: 'mod' }, SECRET, { algorithm: 'HS256', expiresIn: '1h' }),
        sign({ sub: 'mod' }, { algorithm: 'PS256' }),
      ]) {
        expect(await refusal(verifier.verify(token))).toBe('The bearer token is not valid');
      }
      expect(await refusal(verifier.verify(sign({ sub: 'mod' }, { issuer: 'https://evil.example' })))).toBe(
        "The bearer token was issued by another issuer than this site's",
      );
      expect(await refusal(verifier.verify(sign({ sub: 'mod' }, { audience: 'other' })))).toBe(
        'The bearer token is meant for another audience than this site',
      );
    });
  });
});
