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
