import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ArticlesService } from '../articles/articles.service';
import { AuthUser, isModerator } from '../auth/access.decorator';
import { isRetryable, isUnavailable } from '../errors/pg-errors';
import { sql } from '../database/sql';
import { AppError } from '../errors/app-error';
import { ModerationRules } from './moderation-rules';
import { ModerationMode, ModerationSettings } from '../settings/moderation-settings.entity';
import { SettingsService } from '../settings/settings.service';
import { RenamedAuthors } from '../users/renamed-authors';
import { UsersService } from '../users/users.service';
import { CommentView } from './comment.view';

/** Statements of posts that may hold a connection at once on this instance. */
const STATEMENTS_IN_FLIGHT = 3;
/** Statements that one article may be in at once (one commits, one waits on its row). */
const STATEMENTS_PER_ARTICLE = 2;
const MAX_BATCH = 64;
const MAX_ATTEMPTS = 5;

export interface CreatedComment {
  status: number;
  body: CommentView;
}

/** One post as post_comments() takes it (migrations/functions/post_comments.sql). */
interface PostInput {
  id: string;
  author: string;
  name: string | null;
  body: string;
  parent: string | null;
  status: string;
  reasons: string[];
  final: boolean;
  settingsVersion: number;
  premod: boolean;
  approved: number;
  mode: ModerationMode;
  key: string | null;
  action: string | null;
  reason: string | null;
}

type Outcome =
  | { outcome: 'created'; view: CommentView; renamed: boolean }
  | { outcome: 'replay'; status: number; body: CommentView }
  | { outcome: 'stale'; premod: boolean; approved: number; mode: ModerationMode }
  | { outcome: 'closed'; message: string }
  | { outcome: 'banned'; until: string | null }
  | { outcome: 'processing' | 'settings' | 'no_article' | 'no_parent' | 'parent_hidden' | 'repeat' };

interface Queued {
  articleId: string;
  post: PostInput;
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Posting: the rules run here, on the cached settings and on what this instance last learnt of the
 * author and the article; the whole unit of work is one statement, post_comments(), which checks
 * those assumptions under the locks and writes nothing for a post whose assumptions changed (the
 * post is then decided again). Posts that arrive while earlier ones are being written go together
 * in the next statement (group commit): posts to one article share its lock, version bump and
 * NOTIFY, which lets a live blog take more posts a second than one article row lock could pass
 * one transaction at a time; posts to several articles share the round trip, the transaction and
 * its WAL flush (post_comments_across()), what a post costs most. An article is in at most two
 * statements at once, so that a row held long (a burst, a slow holder) keeps only those waiting
 * with it: the posts to other articles go in the next statements.
 */
@Injectable()
export class CommentPoster {
  private waiting: Queued[] = [];
  private running = 0;
  /** Statements in flight per article. */
  private readonly articlesInFlight = new Map<string, number>();
  private readonly authorFacts = new Map<string, { premod: boolean; approved: number }>();
  private readonly articleModes = new Map<string, ModerationMode>();
  /** Each article's site (which never changes), learnt on its first post here. */
  private readonly articleSites = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: SettingsService,
    private readonly rules: ModerationRules,
    private readonly users: UsersService,
    private readonly renamedAuthors: RenamedAuthors,
    private readonly articles: ArticlesService,
  ) {}

  async post(
    articleId: string,
    input: { body: string; parentId?: string },
    author: AuthUser,
    idempotencyKey?: string,
  ): Promise<CreatedComment> {
    const siteId = await this.siteOf(articleId);
    // A reader's login vouches for them on their own site only.
    if (siteId !== author.siteId)
      throw new AppError(403, 'OTHER_SITE', "This article is another site's: sign in with its login to comment");
    let settings = await this.settings.cached(siteId);
    for (let attempt = 1; ; attempt++) {
      const body = cleanBody(input.body, settings);
      const facts = this.authorFacts.get(author.id) ?? { premod: false, approved: settings.premodNewCommenters };
      const mode = this.articleModes.get(articleId) ?? settings.defaultModerationMode;
      const decision = this.rules.decide({
        author,
        authorOnPremod: facts.premod,
        authorApprovedCount: Math.min(facts.approved, settings.premodNewCommenters),
        openReportCount: 0,
        moderationMode: mode,
        body,
        settings,
      });
      const held = decision.status === 'pending' || decision.status === 'rejected';
      const outcome = await this.enqueue(articleId, {
        id: randomUUID(),
        author: author.id,
        name: author.name,
        body,
        parent: input.parentId ?? null,
        status: decision.status,
        reasons: decision.reasons,
        final: isModerator(author, siteId) || decision.status === 'rejected',
        settingsVersion: settings.version,
        premod: facts.premod,
        approved: Math.min(facts.approved, settings.premodNewCommenters),
        mode,
        key: idempotencyKey ?? null,
        action: held ? (decision.status === 'pending' ? 'hold' : 'reject') : null,
        reason: held ? decision.reasons.join('; ') || null : null,
      });
      switch (outcome.outcome) {
        case 'created':
          if (outcome.renamed) void this.renamedAuthors.renewThreads([author.id]);
          return { status: 201, body: outcome.view };
        case 'replay':
          return { status: outcome.status, body: outcome.body };
        case 'processing':
          throw AppError.conflict('A request with this Idempotency-Key is still being processed');
        case 'no_article':
          throw AppError.notFound('The article');
        case 'closed':
          throw new AppError(409, 'ARTICLE_CLOSED', outcome.message);
        case 'banned':
          this.users.assertNotBanned({
            banned_at: new Date(0),
            ban_until: outcome.until ? new Date(outcome.until) : null,
          });
          throw new AppError(403, 'USER_BANNED', 'You are banned from commenting');
        case 'no_parent':
          throw AppError.notFound('The parent comment');
        case 'parent_hidden':
          throw AppError.conflict('Replies can only be made to visible comments');
        case 'repeat':
          throw AppError.conflict('You posted this same comment a moment ago');
        case 'settings':
          settings = await this.settings.newerThan(settings.version, siteId);
          break;
        case 'stale':
          this.learn(author.id, articleId, outcome);
          break;
      }
      if (attempt >= MAX_ATTEMPTS) throw new AppError(503, 'UNAVAILABLE', 'The settings are changing: try again');
    }
  }

  private async siteOf(articleId: string): Promise<number> {
    const known = this.articleSites.get(articleId);
    if (known !== undefined) return known;
    const article = await this.articles.read(articleId);
    if (!article) throw AppError.notFound('The article');
    if (this.articleSites.size >= 100_000) this.articleSites.clear();
    this.articleSites.set(articleId, article.siteId);
    return article.siteId;
  }

  private learn(userId: string, articleId: string, facts: { premod: boolean; approved: number; mode: ModerationMode }) {
    if (this.authorFacts.size >= 100_000) this.authorFacts.clear();
    if (this.articleModes.size >= 100_000) this.articleModes.clear();
    this.authorFacts.set(userId, { premod: facts.premod, approved: facts.approved });
    this.articleModes.set(articleId, facts.mode);
  }

  /** The post joins the next statement that is not yet sent. */
  private enqueue(articleId: string, post: PostInput): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ articleId, post, resolve, reject });
      this.flush();
    });
  }

  /** Sends the waiting posts whose article is not already in two statements, while fewer than three are in flight. */
  private flush(): void {
    while (this.running < STATEMENTS_IN_FLIGHT) {
      // A retry with an Idempotency-Key already in this batch waits for the next one, and replays.
      const batch: Queued[] = [];
      const keys = new Set<string>();
      this.waiting = this.waiting.filter((q) => {
        const key = q.post.key === null ? null : `${q.post.author}\n${q.post.key}`;
        const busy = (this.articlesInFlight.get(q.articleId) ?? 0) >= STATEMENTS_PER_ARTICLE;
        if (busy || batch.length >= MAX_BATCH || (key !== null && keys.has(key))) return true;
        if (key !== null) keys.add(key);
        batch.push(q);
        return false;
      });
      if (batch.length === 0) return;
      const articles = [...new Set(batch.map((q) => q.articleId))];
      for (const a of articles) this.articlesInFlight.set(a, (this.articlesInFlight.get(a) ?? 0) + 1);
      this.running++;
      void this.sendAll(batch).finally(() => {
        this.running--;
        for (const a of articles) {
          const n = (this.articlesInFlight.get(a) ?? 1) - 1;
          if (n > 0) this.articlesInFlight.set(a, n);
          else this.articlesInFlight.delete(a);
        }
        this.flush();
      });
    }
  }

  /** One statement for the batch: post_comments() for one article, post_comments_across() for several. */
  private async sendAll(batch: Queued[]): Promise<void> {
    const byArticle = new Map<string, Queued[]>();
    for (const q of batch) byArticle.set(q.articleId, [...(byArticle.get(q.articleId) ?? []), q]);
    if (byArticle.size === 1) return this.send(batch[0].articleId, batch);
    for (let attempt = 1; ; attempt++) {
      try {
        const {
          rows: [{ answers }],
        } = await sql<{ answers: { article: string; outcomes: Outcome[] }[] }>(
          this.dataSource,
          `SELECT post_comments_across($1::jsonb) AS answers`,
          [JSON.stringify([...byArticle].map(([article, posts]) => ({ article, posts: posts.map((q) => q.post) })))],
        );
        for (const { article, outcomes } of answers) byArticle.get(article)?.forEach((q, i) => q.resolve(outcomes[i]));
        return;
      } catch (error) {
        if (isRetryable(error) && attempt < MAX_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
        } else if (!isUnavailable(error)) {
          // What failed the posts of one article must not fail the others: each article goes again alone.
          for (const [articleId, posts] of byArticle) await this.send(articleId, posts);
          return;
        } else {
          for (const q of batch) q.reject(error);
          return;
        }
      }
    }
  }

  private async send(articleId: string, batch: Queued[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const {
          rows: [{ outcomes }],
        } = await sql<{ outcomes: Outcome[] }>(this.dataSource, `SELECT post_comments($1, $2::jsonb) AS outcomes`, [
          articleId,
          JSON.stringify(batch.map((q) => q.post)),
        ]);
        batch.forEach((q, i) => q.resolve(outcomes[i]));
        return;
      } catch (error) {
        if (isRetryable(error) && attempt < MAX_ATTEMPTS) {
          await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
        } else if (batch.length > 1 && !isUnavailable(error)) {
          // What failed one post of the batch must not fail the others: each goes again alone.
          for (const q of batch) await this.send(articleId, [q]);
          return;
        } else {
          for (const q of batch) q.reject(error);
          return;
        }
      }
    }
  }
}

/** A body as it is stored: trimmed, and within the settings' length (posting and editing alike). */
export function cleanBody(raw: string, settings: ModerationSettings): string {
  const body = raw.trim();
  const length = [...body].length; // characters, as PostgreSQL's char_length counts them
  if (length === 0 || length > settings.maxCommentLength) {
    throw AppError.validation(`body must be 1 to ${settings.maxCommentLength} characters after trimming`, [
      { field: 'body', messages: [`must be 1 to ${settings.maxCommentLength} characters`] },
    ]);
  }
  return body;
}
