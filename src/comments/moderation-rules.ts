import { Injectable } from '@nestjs/common';
import LinkifyIt from 'linkify-it';
import { AuthUser, isModerator } from '../auth/access.decorator';
import { CommentStatus } from './comment.entity';
import { ModerationMode, ModerationSettings } from '../settings/moderation-settings.entity';
import { readWords } from '../rules/text-words';
import { WordMatcher } from '../rules/word-matcher';

export interface RuleFacts {
  author: AuthUser;
  authorOnPremod: boolean;
  /** The author's approved comments so far, counted up to premodNewCommenters. */
  authorApprovedCount: number;
  /** Open reports on the comment (an edited one); 0 for a new comment. */
  openReportCount: number;
  moderationMode: ModerationMode;
  body: string;
  settings: ModerationSettings;
}

export interface RuleDecision {
  status: CommentStatus;
  reasons: string[];
}

/**
 * Decides the status of a new or edited comment, inside the transaction that stores it: banned
 * words reject; suspect words, too many links, new or pre-moderated commenters and pre-moderated
 * articles hold. Moderators' own comments are trusted and approved at once.
 */
@Injectable()
export class ModerationRules {
  private readonly linkify = new LinkifyIt();
  private matchers?: { version: number; banned: WordMatcher; suspect: WordMatcher };

  decide(facts: RuleFacts): RuleDecision {
    if (isModerator(facts.author, facts.settings.id)) return { status: 'approved', reasons: [] };
    const { settings } = facts;
    const { banned, suspect } = this.matchersFor(settings);

    const words = readWords(facts.body);
    const bannedFound = banned.findIn(words);
    if (bannedFound.length > 0) return { status: 'rejected', reasons: [`banned words: ${bannedFound.join(', ')}`] };

    const reasons: string[] = [];
    const suspectFound = suspect.findIn(words);
    if (suspectFound.length > 0) reasons.push(`suspect words: ${suspectFound.join(', ')}`);
    const links = this.linkify.match(facts.body)?.length ?? 0;
    if (links > settings.maxLinks) reasons.push(`${links} links (at most ${settings.maxLinks} go up unseen)`);
    if (facts.authorOnPremod) reasons.push('author is on pre-moderation');
    else if (facts.authorApprovedCount < settings.premodNewCommenters) {
      reasons.push(`new commenter (${facts.authorApprovedCount} of ${settings.premodNewCommenters} comments approved)`);
    }
    if (facts.moderationMode === 'pre') reasons.push('article is pre-moderated');
    if (facts.openReportCount >= settings.reportThreshold) {
      reasons.push(`${facts.openReportCount} open reports (threshold ${settings.reportThreshold})`);
    }
    return reasons.length > 0 ? { status: 'pending', reasons } : { status: 'published', reasons: [] };
  }

  /** Whether the new-commenter rule needs the author's approved count at all. */
  needsApprovedCount(author: AuthUser, settings: ModerationSettings): boolean {
    return !isModerator(author, settings.id) && settings.premodNewCommenters > 0;
  }

  /** Built once per settings version: a list of 10,000 words costs nothing per comment. */
  private matchersFor(settings: ModerationSettings) {
    if (this.matchers?.version !== settings.version) {
      this.matchers = {
        version: settings.version,
        banned: new WordMatcher(settings.bannedWords),
        suspect: new WordMatcher(settings.suspectWords),
      };
    }
    return this.matchers;
  }
}
