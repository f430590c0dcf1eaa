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

  /**
   * Records a user on first sight (and a changed display name); returns their stored state
   * (see_user()). Without a siteId, the user is one already stored (or new on the first site).
   */
  async see(manager: EntityManager, user: Pick<AuthUser, 'id' | 'name'> & { siteId?: number }): Promise<UserRow> {
    const {
      rows: [row],
    } = await sql<UserRow & { renamed: boolean }>(manager, `SELECT * FROM see_user($1, $2, $3::smallint)`, [
      user.id,
      user.name,
      user.siteId ?? null,
    ]);
    if (row.renamed) this.events.raise(manager, 'user.renamed', { userId: user.id });
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
