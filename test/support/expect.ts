import type { Response } from 'supertest';

/** The settings of a new installation (API.md). */
export const DEFAULT_CLOSED_MESSAGE = 'We are no longer accepting comments on this article.';
export const DEFAULT_SETTINGS = {
  defaultModerationMode: 'post',
  bannedWords: [],
  suspectWords: [],
  premodNewCommenters: 0,
  maxLinks: 5,
  reportThreshold: 3,
  autoCloseAfterDays: null,
  editWindowSeconds: 600,
  maxCommentLength: 5000,
  defaultDisclaimerText: 'The comments below have not been moderated.',
  defaultClosedMessage: DEFAULT_CLOSED_MESSAGE,
};

/** The problem+json answer the contract promises for every error; returns its body. */
export function expectProblem(res: Pick<Response, 'status' | 'headers' | 'body'>, status: number, code: string) {
  if (res.status !== status || res.body?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.status}: ${JSON.stringify(res.body)}`);
  }
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status,
    code,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack trace
  return res.body;
}

/** Fails with the response body, which says more than a bare status mismatch; returns the body. */
export function expectStatus(res: Pick<Response, 'status' | 'body'>, ...statuses: number[]) {
  if (!statuses.includes(res.status)) {
    throw new Error(`expected ${statuses.join(' or ')}, got ${res.status}: ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `ms`. */
export async function until<T>(
  label: string,
  ms: number,
  check: () => Promise<T | undefined | false> | T | undefined | false,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`${label}: not within ${ms} ms${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
