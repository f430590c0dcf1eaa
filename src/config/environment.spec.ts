import { trustProxy, validateEnvironment } from './environment';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', JWT_SECRET: 'a-secret-long-enough' };

describe('validateEnvironment', () => {
  it('accepts a minimal environment with defaults', () => {
    const env = validateEnvironment(base);
    expect(env.PORT).toBe(3000);
    expect(env.RATE_LIMITS).toBe('on');
  });
  it.each([
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ PORT: 'eighty' }, /PORT/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET/],
    [{ JWT_SECRET: undefined }, /JWT_SECRET/],
    [{ RATE_LIMITS: 'maybe' }, /RATE_LIMITS/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ TRUST_PROXY: 'yes please' }, /TRUST_PROXY/],
  ])('names the bad variable in %p', (override, message) => {
    expect(() => validateEnvironment({ ...base, ...override })).toThrow(message);
  });
  it.each(['true', '1', '10.0.0.0/8', 'loopback, 10.0.0.0/8', '::1'])('accepts TRUST_PROXY=%s', (value) => {
    expect(validateEnvironment({ ...base, TRUST_PROXY: value }).TRUST_PROXY).toBe(value);
  });
});

describe('trustProxy', () => {
  it('trusts no one unless told, and takes hops as a number', () => {
    expect([undefined, 'false', 'true', '2', 'loopback'].map(trustProxy)).toEqual([false, false, true, 2, 'loopback']);
  });
});
