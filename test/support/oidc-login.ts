import { createHash, randomBytes } from 'node:crypto';

/**
 * A reader's browser at the provider's dev login form, over HTTP: follows the authorization URL's
 * redirects with the provider's cookies, signs in as `login`, and returns the callback URL the
 * provider sends the browser back to (with its code and state).
 */
export async function loginAtProvider(authorizationUrl: URL, login: string, redirectUri: string): Promise<URL> {
  const cookies = new Map<string, string>();
  const send = async (url: URL, init: RequestInit = {}) => {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return res;
  };
  let url = authorizationUrl;
  let submitted = false;
  for (let hop = 0; hop < 10; hop++) {
    const res = await send(url);
    const location = res.headers.get('location');
    if (location) {
      url = new URL(location, url);
      await res.arrayBuffer();
      if (url.href.startsWith(redirectUri)) return url;
      continue;
    }
    const page = await res.text();
    if (submitted || !/name="prompt" value="login"/.test(page)) {
      throw new Error(`the provider showed no login form (${res.status}): ${page.slice(0, 500)}`);
    }
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error('the login form has no action');
    const posted = await send(new URL(action, url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString(),
    });
    submitted = true;
    const next = posted.headers.get('location');
    await posted.arrayBuffer();
    if (!next) throw new Error(`the login form was refused (${posted.status})`);
    url = new URL(next, url);
    if (url.href.startsWith(redirectUri)) return url;
  }
  throw new Error('too many redirects at the provider');
}

/** The tokens of a session that Comment Desk opens after a sign-in with a site's provider. */
export interface SiteSessionTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/**
 * Signs `login` in with the provider of the site `siteKey`, as the embed does for a page of
 * `pageOrigin` (begin with a pickup hash, the provider's login, its callback, the pickup), over
 * HTTP; returns the session's tokens.
 */
export async function signInThroughSite(
  base: string,
  siteKey: string,
  login: string,
  pageOrigin: string,
): Promise<SiteSessionTokens> {
  const secret = randomBytes(32).toString('base64url');
  const hash = createHash('sha256').update(secret).digest('base64url');
  const at = `${base}/api/sites/${siteKey}/sign-in`;
  const begun = await fetch(`${at}?origin=${encodeURIComponent(pageOrigin)}&pickup=${hash}`, {
    headers: { Accept: 'application/json', Origin: pageOrigin },
  });
  if (begun.status !== 200) throw new Error(`the sign-in was not begun (${begun.status}): ${await begun.text()}`);
  const { url } = (await begun.json()) as { url: string };
  const callback = await loginAtProvider(new URL(url), login, `${at}/callback`);
  const done = await fetch(callback);
  if (done.status !== 200) throw new Error(`the provider's answer was refused (${done.status})`);
  await done.arrayBuffer();
  const pickup = await fetch(`${at}/pickup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Origin: pageOrigin },
    body: JSON.stringify({ pickup: secret }),
  });
  if (pickup.status !== 200) throw new Error(`no tokens to pick up (${pickup.status}): ${await pickup.text()}`);
  return (await pickup.json()) as SiteSessionTokens;
}
