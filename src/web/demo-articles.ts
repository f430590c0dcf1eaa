import { Logger } from '@nestjs/common';
import jwt from 'jsonwebtoken';

/** The articles of the demo pages (web/demo/): an open post-moderated thread and a closed one. */
export const DEMO_ARTICLES = [
  { url: 'https://news.example/demo/budget', title: 'The budget, explained', closed: false },
  { url: 'https://news.example/demo/harbour', title: 'Harbour bridge reopens after repairs', closed: true },
];

/**
 * `npm start` only: makes sure the demo pages have their threads, through the API itself with a
 * moderator token signed by the development secret (what a moderator would do by hand).
 */
export async function ensureDemoArticles(baseUrl: string, secret: string): Promise<void> {
  const token = jwt.sign({ sub: 'demo-desk', name: 'Demo desk', role: 'moderator' }, secret, {
    algorithm: 'HS256',
    expiresIn: '5m',
  });
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  try {
    for (const demo of DEMO_ARTICLES) {
      const found = await fetch(`${baseUrl}/api/articles?url=${encodeURIComponent(demo.url)}`, { headers });
      let article = ((await found.json()) as { items: { id: string; closed: boolean }[] }).items[0];
      if (!article) {
        const created = await fetch(`${baseUrl}/api/articles`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ url: demo.url, title: demo.title, moderationMode: 'post' }),
        });
        article = (await created.json()) as { id: string; closed: boolean };
      }
      if (demo.closed && !article.closed)
        await fetch(`${baseUrl}/api/articles/${article.id}/close`, { method: 'POST', headers, body: '{}' });
    }
    new Logger('Demo').log(`Demo pages: ${baseUrl}/demo/ (an open thread) and ${baseUrl}/demo/closed.html`);
  } catch (error) {
    new Logger('Demo').warn(`The demo articles could not be made: ${(error as Error).message}`);
  }
}
