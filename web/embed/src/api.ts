/**
 * The few calls the embed makes, typed from the service's OpenAPI document (docs/openapi.json),
 * whose types the build generates into ./openapi.d.ts as it does the console's: a change of the
 * API that the embed does not follow fails its build. Types only: no client library is bundled.
 */
import type { components } from './openapi';

type Schemas = components['schemas'];
export type Comment = Schemas['CommentView'];
export type Head = Schemas['ThreadArticleView'];
export type ThreadPage = Schemas['ThreadPage'];
export type CommentPage = Schemas['CommentPageView'];
export type CommentContext = Schemas['CommentContextView'];
export type Article = Schemas['ArticleView'];
export type ReportReason = Schemas['CreateReportDto']['reason'];
export type Viewer = Schemas['ViewerView'];
export type NotificationSettings = Schemas['NotificationSettingsView'];
export type NotificationChoices = Schemas['NotificationPreferencesDto'];
type Problem = Partial<Schemas['Problem']>;

/** A problem+json answer (or NETWORK when there was no answer). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string | null,
    readonly retryAfter: number | null,
    readonly fields: string[],
  ) {
    super(code);
  }
}

let toldOfCors = false;

/**
 * A fetch that failed without an answer, to another origin: the browser hides why, and a page
 * origin missing from the service's CORS_ORIGINS is the usual cause. Said once, to the page's developer.
 */
function tellOfCors(error: unknown, url: string): void {
  const service = new URL(url, location.href).origin;
  if (toldOfCors || !(error instanceof TypeError) || service === location.origin) return;
  toldOfCors = true;
  console.error(
    `Comment Desk: ${service} could not be reached from this page. If the service is up, ` +
      `add this page's origin, ${location.origin}, to the service's CORS_ORIGINS.`,
  );
}

/** Names the site whose login signed the reader's token, and among whose articles the thread is. */
export const SITE_HEADER = 'Comment-Desk-Site';

export class Api {
  /** `site`: the key of a site other than the installation's first (whose calls name none, as before sites). */
  constructor(
    private readonly base: string,
    private readonly token: () => string | null,
    private readonly site: string | null = null,
  ) {}

  streamUrl(articleId: string): string {
    return `${this.base}/api/articles/${articleId}/comments/stream`;
  }

  private async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (this.site) headers[SITE_HEADER] = this.site;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (error) {
      tellOfCors(error, this.base + path);
      throw new ApiError(0, 'NETWORK', null, null, []);
    }
    if (res.status === 304) return { body: null, etag: res.headers.get('ETag'), status: 304 };
    if (res.ok)
      return {
        body: (res.status === 204 ? null : await res.json()) as T,
        etag: res.headers.get('ETag'),
        status: res.status,
      };
    const problem: Problem = await res.json().catch(() => ({}));
    const retryAfter = Number(res.headers.get('Retry-After'));
    throw new ApiError(
      res.status,
      String(problem.code ?? 'HTTP_' + res.status),
      typeof problem.detail === 'string' ? problem.detail : null,
      retryAfter > 0 ? Math.ceil(retryAfter) : null,
      Array.isArray(problem.errors) ? problem.errors.map((e) => String(e.field)) : [],
    );
  }

  /** The article at this URL; created there and then when the publisher allows it for the URL (with a title). */
  async findArticle(url: string, title: string | null): Promise<Article | null> {
    const found = await this.call<Schemas['ArticlePageView']>('GET', `/api/articles?url=${encodeURIComponent(url)}`);
    if (found.body!.items[0] || !title) return found.body!.items[0] ?? null;
    try {
      return (await this.call<Article>('POST', '/api/articles/resolve', { url, title })).body;
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'NOT_FOUND' || error.status === 404)) return null;
      throw error;
    }
  }

  /** The article by its id; null when there is none (or the id is not one). */
  async article(id: string): Promise<Article | null> {
    try {
      return (await this.call<Article>('GET', `/api/articles/${encodeURIComponent(id)}`)).body;
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'NOT_FOUND' || error.code === 'VALIDATION_FAILED')) return null;
      throw error;
    }
  }

  thread(articleId: string, sort: string, limit: number, cursor?: string, etag?: string | null) {
    const query = `sort=${sort}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    return this.call<ThreadPage>(
      'GET',
      `/api/articles/${articleId}/comments?${query}`,
      undefined,
      etag ? { 'If-None-Match': etag } : {},
    );
  }

  async replies(commentId: string, limit: number, cursor?: string) {
    const query = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    return (await this.call<CommentPage>('GET', `/api/comments/${commentId}/replies?${query}`)).body!;
  }

  /** The signed-in reader as the service knows them: a ban in force, and its end. */
  async viewer(): Promise<Viewer> {
    return (await this.call<Viewer>('GET', '/api/me')).body!;
  }

  /** The reader's email notifications: what they hear of, how often, and where. */
  async notifications(): Promise<NotificationSettings> {
    return (await this.call<NotificationSettings>('GET', '/api/me/notifications')).body!;
  }

  async saveNotifications(choices: NotificationChoices): Promise<NotificationSettings> {
    return (await this.call<NotificationSettings>('PUT', '/api/me/notifications', choices)).body!;
  }

  /** Sends a link to confirm `address` (or uses it at once when the site verified it). */
  async giveAddress(address: string, lang: string): Promise<void> {
    await this.call('POST', '/api/me/notifications/address', { address, lang });
  }

  /** A comment with the comments it answers; null when this reader may not see it (or there is none). */
  async context(id: string): Promise<CommentContext | null> {
    try {
      return (await this.call<CommentContext>('GET', `/api/comments/${id}/context`)).body;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }

  async comment(id: string): Promise<Comment> {
    return (await this.call<Comment>('GET', `/api/comments/${id}`)).body!;
  }

  async post(articleId: string, body: string, parentId: string | null, idempotencyKey: string): Promise<Comment> {
    const payload = parentId ? { body, parentId } : { body };
    return (
      await this.call<Comment>('POST', `/api/articles/${articleId}/comments`, payload, {
        'Idempotency-Key': idempotencyKey,
      })
    ).body!;
  }

  async edit(id: string, body: string): Promise<Comment> {
    return (await this.call<Comment>('PATCH', `/api/comments/${id}`, { body })).body!;
  }

  async remove(id: string): Promise<void> {
    await this.call('DELETE', `/api/comments/${id}`);
  }

  /** Asks for a sign-in link by email (sign-in="email"); answered alike whether or not the address is known. */
  async askEmailLink(site: string, ask: Schemas['AskEmailSignInDto']): Promise<void> {
    await this.call('POST', `/api/sites/${encodeURIComponent(site)}/email-sign-in`, ask);
  }

  async report(id: string, reason: ReportReason, note?: string): Promise<void> {
    await this.call('POST', `/api/comments/${id}/reports`, note ? { reason, note } : { reason });
  }
}
