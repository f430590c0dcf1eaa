import { availableParallelism } from 'node:os';
import { trustProxy, validateEnvironment } from './environment';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', JWT_SECRET: 'a-secret-long-enough' };

describe('validateEnvironment', () => {
  it('accepts a minimal environment with defaults', () => {
    const env = validateEnvironment(base);
    expect(env.PORT).toBe(3000);
    expect(env.RATE_LIMITS).toBe('on');
    expect([env.REQUEST_HEADERS_TIMEOUT_SECONDS, env.REQUEST_BODY_TIMEOUT_SECONDS]).toEqual([15, 60]);
    expect(env.WORKERS).toBe(1);
  });
  it.each([
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ PORT: 'eighty' }, /PORT/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET/],
    [{ JWT_SECRET: undefined }, /JWT_SECRET/],
    [{ RATE_LIMITS: 'maybe' }, /RATE_LIMITS/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ TRUST_PROXY: 'yes please' }, /TRUST_PROXY/],
    [{ DESK_LOGIN_URL: 'login.example/sign-in' }, /DESK_LOGIN_URL must be an http\(s\) URL/],
    [{ DESK_LOGIN_URL: 'javascript:alert(1)' }, /DESK_LOGIN_URL/],
    [{ PUBLIC_URL: 'comments.example' }, /PUBLIC_URL must be an http\(s\) URL/],
    [{ LIVE_HEARTBEAT_SECONDS: '0' }, /LIVE_HEARTBEAT_SECONDS/],
    [{ LIVE_HEARTBEAT_SECONDS: '0.5' }, /LIVE_HEARTBEAT_SECONDS/],
    [{ REQUEST_HEADERS_TIMEOUT_SECONDS: '0' }, /REQUEST_HEADERS_TIMEOUT_SECONDS/],
    [{ REQUEST_BODY_TIMEOUT_SECONDS: 'a minute' }, /REQUEST_BODY_TIMEOUT_SECONDS/],
  ])('names the bad variable in %p', (override, message) => {
    expect(() => validateEnvironment({ ...base, ...override })).toThrow(message);
  });
  it.each([
    ['https://comments.example/', 'https://comments.example'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['', undefined],
  ])('takes PUBLIC_URL=%p as %p (links are made by adding a path)', (value, expected) => {
    expect(validateEnvironment({ ...base, PUBLIC_URL: value }).PUBLIC_URL).toBe(expected);
  });
  it.each(['true', '1', '10.0.0.0/8', 'loopback, 10.0.0.0/8', '::1'])('accepts TRUST_PROXY=%s', (value) => {
    expect(validateEnvironment({ ...base, TRUST_PROXY: value }).TRUST_PROXY).toBe(value);
  });
  it.each([
    ['https://login.example/sign-in', 'https://login.example/sign-in'],
    ['http://localhost:4000/login', 'http://localhost:4000/login'],
    ['', undefined],
  ])('takes DESK_LOGIN_URL=%p as %p', (value, expected) => {
    expect(validateEnvironment({ ...base, DESK_LOGIN_URL: value }).DESK_LOGIN_URL).toBe(expected);
  });
});

describe('trustProxy', () => {
  it('trusts no one unless told, and takes hops as a number', () => {
    expect([undefined, 'false', 'true', '2', 'loopback'].map(trustProxy)).toEqual([false, false, true, 2, 'loopback']);
  });
  it.each(['0', '65', '2.5', '-1', 'all', ' 2'])('refuses WORKERS=%p', (value) => {
    expect(() => validateEnvironment({ ...base, WORKERS: value })).toThrow(
      /WORKERS must be a whole number, 1 to 64, or auto/,
    );
  });
  it.each([
    ['', 1],
    ['1', 1],
    ['4', 4],
    ['64', 64],
    ['auto', Math.min(64, availableParallelism())],
  ])('takes WORKERS=%p as %p', (value, expected) => {
    expect(validateEnvironment({ ...base, WORKERS: value }).WORKERS).toBe(expected);
  });
});
