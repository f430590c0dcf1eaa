import { INestApplication, Logger } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { normalizeArticleUrl, urlPolicy } from '../articles/article-url';
import { SettingsService } from '../settings/settings.service';
import { DemoThread, DEMO_THREADS } from './demo-comments';

type Call = (method: string, path: string, as: Signer, body?: unknown) => Promise<{ id: string; closed?: boolean }>;
type Signer = { sub: string; name: string; role?: 'moderator' };

const DESK: Signer = { sub: 'demo-desk', name: 'Demo desk', role: 'moderator' };

/** Where the demo pages are, and how a thread made before they were its address is moved there. */
export interface DemoSite {
  /** The address the banner gives (`http://localhost:<port>`): the demo articles' URLs are on it. */
  origin: string;
  moveArticle(id: string, url: string): Promise<void>;
}

type Found = { items: { id: string; closed: boolean }[] };

/**
 * `npm start` only: makes sure the demo pages have their threads, through the API itself with
 * tokens signed by the development secret, or for a thread of another site (`otherSites`: its key
 * to its HS256 secret) by that site's (what a moderator and readers would do by hand). A
 * thread made here also gets its readers' comments, unless `withComments` is off, so that the
 * page and the console's queues have something to show from the first minute. Each article's URL
 * is its demo page's address, so that the console's links to it and to its comments open there; an
 * install whose demo threads were made at their former URLs (news.example) has them moved, comments
 * and moderation history with them.
 */
export async function ensureDemoArticles(
  baseUrl: string,
  secret: string,
  withComments: boolean,
  site: DemoSite,
  otherSites: Record<string, string> = {},
): Promise<void> {
  for (const demo of DEMO_THREADS) {
    // Each site's thread is made by that site's own moderator and readers, signed by its own login.
    const siteSecret = demo.site ? otherSites[demo.site] : secret;
    if (!siteSecret) continue;
    try {
      await ensureDemoThread(callerOf(baseUrl, siteSecret, demo.site), demo, withComments, site);
    } catch (error) {
      new Logger('Demo').warn(`The demo thread at ${demo.path} could not be made: ${(error as Error).message}`);
    }
  }
}

/** Calls the API as someone whom the login of the site `siteKey` (the first site if none) signed in. */
function callerOf(baseUrl: string, secret: string, siteKey: string | undefined): Call {
  return async (method, path, as, body) => {
    // Readers have addresses their login vouches for (reserved .example ones): their emails are kept, never sent.
    const email = as.role ? {} : { email: `${as.sub}@readers.example`, email_verified: true };
    const token = jwt.sign({ sub: as.sub, name: as.name, role: as.role ?? 'commenter', ...email }, secret, {
      algorithm: 'HS256',
      expiresIn: '5m',
    });
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    if (siteKey) headers['Comment-Desk-Site'] = siteKey;
    const answer = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
    return (await answer.json()) as { id: string; closed?: boolean };
  };
}

async function ensureDemoThread(call: Call, demo: DemoThread, withComments: boolean, site: DemoSite): Promise<void> {
  const find = async (url: string) =>
    ((await call('GET', `/api/articles?url=${encodeURIComponent(url)}`, DESK)) as unknown as Found).items[0];
  const url = new URL(demo.path, site.origin).href;
  let article = await find(url);
  if (!article && demo.formerUrl) {
    article = await find(demo.formerUrl);
    if (article) await site.moveArticle(article.id, url);
  }
  if (!article) {
    article = (await call('POST', '/api/articles', DESK, {
      url,
      title: demo.title,
      moderationMode: 'post',
    })) as { id: string; closed: boolean };
    if (withComments) await postDemoComments(call, article.id, demo);
  }
  if (demo.closed && !article.closed) await call('POST', `/api/articles/${article.id}/close`, DESK, {});
}

/** Posts a thread's comments in order; replies name their parent by its index in the list. */
async function postDemoComments(call: Call, articleId: string, demo: DemoThread): Promise<void> {
  const ids: string[] = [];
  const asking = new Set<string>();
  for (const comment of demo.comments) {
    const author = { sub: comment.author.toLowerCase(), name: comment.author };
    // Each reader asks for emails (replies, decisions), so that the demo's replies send some.
    if (!asking.has(author.sub)) {
      asking.add(author.sub);
      await call('PUT', '/api/me/notifications', author, {
        replies: true,
        approved: true,
        rejected: true,
        frequency: 'immediate',
      }).catch(() => undefined); // (an installation that sends no email)
    }
    if (comment.heldForReview)
      await call('POST', `/api/moderation/users/${author.sub}/premod`, DESK, { enabled: true });
    const parentId = comment.replyTo === undefined ? undefined : ids[comment.replyTo];
    const posted = await call('POST', `/api/articles/${articleId}/comments`, author, { body: comment.body, parentId });
    ids.push(posted.id);
    if (comment.reportedBy)
      await call(
        'POST',
        `/api/comments/${posted.id}/reports`,
        { sub: comment.reportedBy.toLowerCase(), name: comment.reportedBy },
        {
          reason: 'spam',
          note: 'Advertising, not a comment on the article.',
        },
      );
  }
}

/**
 * Moves a demo article to its page's address, in the database: the API changes no article's URL.
 * The URL is stored in the form the settings make (trailing slash, query parameters).
 */
export function demoArticleMover(app: INestApplication): DemoSite['moveArticle'] {
  return async (id, url) => {
    const settings = await app.get(SettingsService).cached();
    await app
      .get(DataSource)
      .query('UPDATE articles SET url = $2, updated_at = now() WHERE id = $1', [
        id,
        normalizeArticleUrl(url, urlPolicy(settings)),
      ]);
    new Logger('Demo').log(`The demo thread ${id} moved to ${url}, its demo page`);
  };
}
