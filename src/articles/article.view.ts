import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ModerationSettings } from '../settings/moderation-settings.entity';
import type { ModerationMode } from '../settings/moderation-settings.entity';
import { Article } from './article.entity';
import { closingState } from './closing';

export class DisclaimerView {
  @ApiProperty({ description: 'Whether readers are shown the notice' })
  show: boolean;
  text: string;

  static of(article: Article): DisclaimerView {
    return { show: article.disclaimerShow ?? article.moderationMode === 'post', text: article.disclaimerText };
  }
}

export class ArticleCountsView {
  visible: number;
  @ApiPropertyOptional({ description: 'Moderators only' })
  pending?: number;
  @ApiPropertyOptional({ description: 'Moderators only' })
  published?: number;
  @ApiPropertyOptional({ description: 'Moderators only' })
  approved?: number;
  @ApiPropertyOptional({ description: 'Moderators only' })
  rejected?: number;
  @ApiPropertyOptional({ description: 'Moderators only: comments with open reports' })
  reported?: number;
}

export class ArticleView {
  id: string;
  url: string;
  title: string;
  externalId: string | null;
  @ApiProperty({ enum: ['post', 'pre'] })
  moderationMode: ModerationMode;
  closed: boolean;
  closedAt: Date | null;
  closedMessage: string | null;
  closeAt: Date | null;
  disclaimer: DisclaimerView;
  counts: ArticleCountsView;
  createdAt: Date;
  updatedAt: Date;

  static of(article: Article, settings: ModerationSettings, forModerator: boolean): ArticleView {
    const closing = closingState(article, settings);
    const counts: ArticleCountsView = forModerator
      ? {
          visible: article.countVisible,
          pending: article.countPending,
          published: article.countPublished,
          approved: article.countApproved,
          rejected: article.countRejected,
          reported: article.countReported,
        }
      : { visible: article.countVisible };
    return {
      id: article.id,
      url: article.url,
      title: article.title,
      externalId: article.externalId,
      moderationMode: article.moderationMode,
      ...closing,
      closeAt: article.closeAt,
      disclaimer: DisclaimerView.of(article),
      counts,
      createdAt: article.createdAt,
      updatedAt: article.updatedAt,
    };
  }
}

/** What a thread page says about its article. */
export class ThreadArticleView {
  id: string;
  closed: boolean;
  closedMessage: string | null;
  disclaimer: DisclaimerView;
  @ApiProperty({ description: 'How long after posting an author may edit: the embed offers Edit for that long' })
  editWindowSeconds: number;
  @ApiProperty({
    description:
      "How many levels of replies the embed indents (the settings' replyDepth); deeper replies are listed at the deepest level, each naming the comment it answers",
  })
  replyDepth: number;

  static of(article: Article, settings: ModerationSettings): ThreadArticleView {
    const { closed, closedMessage } = closingState(article, settings);
    return {
      id: article.id,
      closed,
      closedMessage,
      disclaimer: DisclaimerView.of(article),
      editWindowSeconds: settings.editWindowSeconds,
      replyDepth: settings.replyDepth,
    };
  }
}

export class ArticlePageView {
  items: ArticleView[];
  nextCursor?: string | null;
}
