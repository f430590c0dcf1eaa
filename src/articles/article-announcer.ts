import { EntityManager } from 'typeorm';
import type { ModerationSettings } from '../settings/moderation-settings.entity';
import type { Article } from './article.entity';

/**
 * Tells live readers what an article's thread header now says (closing, reopening, mode,
 * disclaimer), in the transaction of the change. The live thread stream does it; the app binds
 * the two where it is assembled (app.module.ts), as live/ reads articles and so sits above them.
 */
export abstract class ArticleAnnouncer {
  abstract announceArticle(manager: EntityManager, article: Article, settings: ModerationSettings): Promise<void>;
}
