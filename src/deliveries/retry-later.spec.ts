import { retryAfterSeconds } from './retry-later';

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, capped at an hour', () => {
    const now = Date.parse('2026-12-08T10:00:00Z');
    expect(retryAfterSeconds('30', now)).toBe(30);
    expect(retryAfterSeconds(' 2 ', now)).toBe(2);
    expect(retryAfterSeconds('Tue, 08 Dec 2026 10:01:00 GMT', now)).toBe(60);
    expect(retryAfterSeconds('Tue, 08 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('999999', now)).toBe(3600);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(undefined, now)).toBeUndefined();
  });
});
