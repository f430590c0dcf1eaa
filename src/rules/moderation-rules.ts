import { Injectable } from '@nestjs/common';
import { ModerationMode } from '../articles/article.entity';
import { AuthUser, isModerator } from '../auth/access.decorator';
import { CommentStatus } from '../comments/comment.entity';

export interface RuleInput {
  author: AuthUser;
  authorOnPremod: boolean;
  moderationMode: ModerationMode;
}

export interface RuleDecision {
  status: CommentStatus;
  reasons: string[];
}

/** Decides the status of a new or edited comment, inside the transaction that stores it. */
@Injectable()
export class ModerationRules {
  decide(input: RuleInput): RuleDecision {
    // Moderators' own words are reviewed by being written.
    if (isModerator(input.author)) return { status: 'approved', reasons: [] };
    const reasons: string[] = [];
    if (input.authorOnPremod) reasons.push('author is on pre-moderation');
    if (input.moderationMode === 'pre') reasons.push('article is pre-moderated');
    return reasons.length > 0 ? { status: 'pending', reasons } : { status: 'published', reasons: [] };
  }
}
