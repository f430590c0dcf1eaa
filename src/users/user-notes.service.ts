import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { decodeCursor, PageQueryDto, toPage } from '../common/pagination';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { ModerationLog } from '../journal/moderation-log.service';
import { CreateUserNoteDto } from './dto/user-moderation.dto';
import { User } from './user.entity';
import { UserNotePageView, UserNoteView } from './users.views';
import { UsersService } from './users.service';

/** What moderators note about a user, for each other. */
@Injectable()
export class UserNotes {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly users: UsersService,
    private readonly log: ModerationLog,
  ) {}

  /** Appends a note about a known user, with its log entry (which records the note, not its text). */
  async add(userId: string, dto: CreateUserNoteDto, moderator: AuthUser): Promise<UserNoteView> {
    return this.transactions.run(async (manager) => {
      await this.users.see(manager, moderator);
      const { rows } = await sql<{ id: string; created_at: Date }>(
        manager,
        `INSERT INTO user_notes (user_id, author_id, body) SELECT id, $2, $3 FROM users WHERE id = $1
         RETURNING id, created_at`,
        [userId, moderator.id, dto.body],
      );
      if (rows.length === 0) throw AppError.notFound('The user');
      await this.log.record(manager, {
        action: 'note',
        actor: moderator,
        targetType: 'user',
        targetId: userId,
        reason: `note ${rows[0].id}`,
      });
      return {
        id: rows[0].id,
        userId,
        author: { id: moderator.id, name: moderator.name },
        body: dto.body,
        createdAt: rows[0].created_at,
      };
    });
  }

  /** A user's notes, newest first. */
  async list(userId: string, query: PageQueryDto): Promise<UserNotePageView> {
    const list = `notes:${userId}`;
    const after = decodeCursor(list, query.cursor);
    if (!(await this.dataSource.manager.existsBy(User, { id: userId }))) throw AppError.notFound('The user');
    const params: unknown[] = [userId, query.limit + 1];
    const { rows } = await sql<{
      id: string;
      author_id: string;
      author_name: string | null;
      body: string;
      created_at: Date;
    }>(
      this.dataSource,
      `SELECT n.id, n.author_id, a.name AS author_name, n.body, n.created_at
       FROM user_notes n JOIN users a ON a.id = n.author_id
       WHERE n.user_id = $1 ${after ? `AND (n.created_at, n.id) < ($${params.push(after.createdAt)}, $${params.push(after.id)})` : ''}
       ORDER BY n.created_at DESC, n.id DESC LIMIT $2`,
      params,
    );
    const page = toPage(list, rows, query.limit, (r) => ({ createdAt: r.created_at, id: r.id }));
    return {
      items: page.items.map((r) => ({
        id: r.id,
        userId,
        author: { id: r.author_id, name: r.author_name },
        body: r.body,
        createdAt: r.created_at,
      })),
      nextCursor: page.nextCursor,
    };
  }
}
