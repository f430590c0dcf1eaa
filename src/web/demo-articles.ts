import { Logger } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { DemoThread, DEMO_THREADS } from './demo-comments';

type Call = (method: string, path: string, as: Signer, body?: unknown) => Promise<{ id: string; closed?: boolean }>;
type Signer = { sub: string; name: string; role?: 'moderator' };

const DESK: Signer = { sub: 'demo-desk', name: 'Demo desk', role: 'moderator' };

/**
 * `npm start` only: makes sure the demo pages have their threads, through the API itself with
 * tokens signed by the development secret (what a moderator and readers would do by hand). A
 * thread made here also gets its readers' comments, unless `withComments` is off, so that the
 * page and the console's queues have something to show from the first minute.
 */
export async function ensureDemoArticles(baseUrl: string, secret: string, withComments: boolean): Promise<void> {
  const call: Call = async (method, path, as, body) => {
    const token = jwt.sign({ sub: as.sub, name: as.name, role: as.role ?? 'commenter' }, secret, {
      algorithm: 'HS256',
      expiresIn: '5m',
    });
    const answer = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
    return (await answer.json()) as { id: string; closed?: boolean };
  };
  try {
    for (const demo of DEMO_THREADS) {
      const found = (await call('GET', `/api/articles?url=${encodeURIComponent(demo.url)}`, DESK)) as unknown as {
        items: { id: string; closed: boolean }[];
      };
      let article = found.items[0];
      if (!article) {
        article = (await call('POST', '/api/articles', DESK, {
          url: demo.url,
          title: demo.title,
          moderationMode: 'post',
        })) as { id: string; closed: boolean };
        if (withComments) await postDemoComments(call, article.id, demo);
      }
      if (demo.closed && !article.closed) await call('POST', `/api/articles/${article.id}/close`, DESK, {});
    }
  } catch (error) {
    new Logger('Demo').warn(`The demo threads could not be made: ${(error as Error).message}`);
  }
}

/** Posts a thread's comments in order; replies name their parent by its index in the list. */
async function postDemoComments(call: Call, articleId: string, demo: DemoThread): Promise<void> {
  const ids: string[] = [];
  for (const comment of demo.comments) {
    const author = { sub: comment.author.toLowerCase(), name: comment.author };
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
