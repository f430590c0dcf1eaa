import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { sql } from '../database/sql';
import { CommitEvents } from '../journal/commit-events';
import { AppError } from '../errors/app-error';
import { User } from './user.entity';

interface UserRow {
  id: string;
  name: string | null;
  banned_at: Date | null;
  ban_until: Date | null;
  ban_reason: string | null;
  premod: boolean;
}

@Injectable()
export class UsersService {
  constructor(private readonly events: CommitEvents) {}

  /** Records a user on first sight (and a changed display name); returns their stored state. */
  async see(manager: EntityManager, user: Pick<AuthUser, 'id' | 'name'>): Promise<UserRow> {
    const { rows } = await sql<UserRow & { renamed: boolean }>(
      manager,
      `WITH upserted AS (
         INSERT INTO users (id, name) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
           WHERE EXCLUDED.name IS NOT NULL AND users.name IS DISTINCT FROM EXCLUDED.name
         RETURNING id, name, banned_at, ban_until, ban_reason, premod, xmax <> 0 AS renamed)
       SELECT * FROM upserted
       UNION ALL
       SELECT id, name, banned_at, ban_until, ban_reason, premod, false FROM users
         WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM upserted)`,
      [user.id, user.name],
    );
    if (rows[0]) {
      // (xmax is set on the row that the conflict updated, and 0 on one just inserted.)
      if (rows[0].renamed) this.events.raise(manager, 'user.renamed', { userId: user.id });
      return rows[0];
    }
    // Inserted by a concurrent transaction after this statement's snapshot: read it again.
    const {
      rows: [row],
    } = await sql<UserRow>(
      manager,
      `SELECT id, name, banned_at, ban_until, ban_reason, premod FROM users WHERE id = $1`,
      [user.id],
    );
    return row;
  }

  /** Throws USER_BANNED while a ban is in force. */
  assertNotBanned(user: Pick<UserRow, 'banned_at' | 'ban_until'>): void {
    if (isBanned(user)) {
      const until = user.ban_until ? ` until ${new Date(user.ban_until).toISOString()}` : '';
      throw new AppError(403, 'USER_BANNED', `You are banned from commenting${until}`);
    }
  }

  findById(manager: EntityManager, id: string): Promise<User | null> {
    return manager.findOneBy(User, { id });
  }
}

export function isBanned(user: Pick<UserRow, 'banned_at' | 'ban_until'>, now = new Date()): boolean {
  return user.banned_at !== null && (user.ban_until === null || new Date(user.ban_until) > now);
}
