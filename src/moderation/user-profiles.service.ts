import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { COMMENT_COLUMNS, CommentRow, A_MODERATOR, toCommentView } from '../comments/comment.view';
import { sql } from '../database/sql';
import { AppError } from '../errors/app-error';
import { User } from '../users/user.entity';
import { isBanned } from '../users/users.service';
import { waitingCommentSql } from '../users/waiting-comments';
import { ModeratedUserView } from './moderation.views';

/** A user as moderators see them: ban and pre-moderation, comments by status, recent comments. */
@Injectable()
export class UserProfiles {
  constructor(private readonly dataSource: DataSource) {}

  async profile(id: string, moderator: AuthUser): Promise<ModeratedUserView> {
    const user = await this.dataSource.manager.findOneBy(User, { id });
    if (!user) throw AppError.notFound('The user');
    const [{ rows: counts }, { rows: recent }, { rows: waiting }] = await Promise.all([
      sql<{ status: string; n: number }>(
        this.dataSource,
        `SELECT status, count(*)::int AS n FROM comments WHERE author_id = $1 AND deleted_at IS NULL GROUP BY status`,
        [id],
      ),
      sql<CommentRow>(
        this.dataSource,
        `SELECT ${COMMENT_COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
         WHERE c.author_id = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT 10`,
        [id],
      ),
      sql<{ n: number }>(
        this.dataSource,
        `SELECT count(*)::int AS n FROM comments c WHERE c.author_id = $1 AND ${waitingCommentSql('c')}`,
        [id],
      ),
    ]);
    const byStatus = { published: 0, pending: 0, approved: 0, rejected: 0 } as Record<string, number>;
    for (const c of counts) byStatus[c.status] = c.n;
    return {
      id: user.id,
      name: user.name,
      ban: {
        banned: isBanned({ banned_at: user.bannedAt, ban_until: user.banUntil }),
        since: user.bannedAt,
        until: user.banUntil,
        reason: user.banReason,
      },
      premod: user.premod,
      counts: byStatus,
      waiting: waiting[0].n,
      recentComments: recent.map((r) => toCommentView(r, A_MODERATOR)),
      createdAt: user.createdAt,
    };
  }
}
