import { escapeHtml } from '../common/text';
import { directionOf, wordsFor, wordsLang } from './email-sign-in.words';

/** The pages the emailed link opens: confirm, done, refused. No script; the form posts to this service only. */
export const LINK_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function page(lang: string, title: string, body: string): string {
  const e = escapeHtml;
  return `<!doctype html><html lang="${wordsLang(lang)}" dir="${directionOf(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><meta name="referrer" content="same-origin"><title>${e(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:36rem;padding:0 1rem;color:#1a1a1a}
button{font:inherit;padding:.6em 1.4em;border:0;border-radius:4px;background:#1d4ed8;color:#fff;cursor:pointer}
.code{font-weight:600}
button:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}</style></head>
<body><main><h1>${e(title)}</h1>${body}</main></body></html>`;
}

export function confirmPage(
  lang: string,
  {
    site,
    name,
    origin,
    code,
    action,
    token,
  }: { site: string; name: string; origin: string; code: string; action: string; token: string },
): string {
  const w = wordsFor(lang);
  const e = escapeHtml;
  return page(
    lang,
    w.confirmTitle,
    `<p>${e(w.confirmBody(site, name, origin))}</p>
<p class="code">${e(w.matchCode(code))}</p>
<form method="post" action="${e(action)}"><input type="hidden" name="token" value="${e(token)}"><button type="submit">${e(w.confirm)}</button></form>`,
  );
}

export const donePage = (lang: string): string => {
  const w = wordsFor(lang);
  return page(lang, w.doneTitle, `<p>${escapeHtml(w.doneBody)}</p>`);
};

export function refusedPage(lang: string, reason: 'unknown' | 'used' | 'expired'): string {
  const w = wordsFor(lang);
  return page(lang, w.failedTitle, `<p>${escapeHtml(w.failedBody(w[reason]))}</p>`);
}
