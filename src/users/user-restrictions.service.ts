import { Injectable } from '@nestjs/common';
import { AuthUser } from '../auth/access.decorator';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { ModerationLog } from '../journal/moderation-log.service';
import { SettingsService } from '../settings/settings.service';
import { BanDto } from './dto/user-moderation.dto';
import { UsersService } from './users.service';
import { rejectWaitingComments, WaitingRejections } from './waiting-comments';

/** Bans and pre-moderation: what a moderator restricts a user to, each change with its log entry. */
@Injectable()
export class UserRestrictions {
  constructor(
    private readonly transactions: Transactions,
    private readonly users: UsersService,
    private readonly log: ModerationLog,
    private readonly settings: SettingsService,
  ) {}

  /**
   * The ban, and with rejectWaiting the rejection of the user's waiting comments, in one
   * transaction. `siteId`: the user's site (a user never seen is recorded there).
   */
  async ban(id: string, siteId: number, dto: BanDto, moderator: AuthUser): Promise<WaitingRejections> {
    if (dto.until && dto.until <= new Date()) {
      throw AppError.validation('until must be in the future', [
        { field: 'until', messages: ['must be in the future'] },
      ]);
    }
    await this.checkRejectionLabel(dto, siteId);
    return this.transactions.run(async (manager) => {
      await this.users.see(manager, moderator);
      await this.users.see(manager, { id, name: null, siteId });
      await sql(
        manager,
        `UPDATE users SET banned_at = now(), ban_until = $2, ban_reason = $3, updated_at = now() WHERE id = $1`,
        [id, dto.until ?? null, dto.reason],
      );
      await this.log.record(manager, {
        action: 'ban',
        actor: moderator,
        targetType: 'user',
        targetId: id,
        reason: dto.until ? `${dto.reason} (until ${dto.until.toISOString()})` : dto.reason,
      });
      if (!dto.rejectWaiting) return { rejected: 0, skipped: 0 };
      return rejectWaitingComments(manager, id, siteId, moderator, {
        label: dto.rejectionReasonLabel ?? null,
        reason: `with the author's ban: ${dto.reason}`,
      });
    });
  }

  /** A label goes with rejectWaiting only, and must be one of the site's list as it stands. */
  private async checkRejectionLabel(dto: BanDto, siteId: number): Promise<void> {
    const label = dto.rejectionReasonLabel;
    if (label === undefined) return;
    const refuse = (message: string) =>
      AppError.validation(message, [{ field: 'rejectionReasonLabel', messages: [message] }]);
    if (!dto.rejectWaiting) throw refuse('rejectionReasonLabel is given with rejectWaiting only');
    const { rejectionReasons } = await this.settings.current(siteId);
    if (!rejectionReasons.includes(label)) {
      throw refuse(
        `rejectionReasonLabel must be one of the rejection reasons in the settings: ${rejectionReasons.join(', ')}`,
      );
    }
  }

  async unban(id: string, moderator: AuthUser): Promise<void> {
    await this.transactions.run(async (manager) => {
      await this.users.see(manager, moderator);
      const { rowCount: affected } = await sql(
        manager,
        `UPDATE users SET banned_at = NULL, ban_until = NULL, ban_reason = NULL, updated_at = now()
         WHERE id = $1 AND banned_at IS NOT NULL`,
        [id],
      );
      if (affected > 0)
        await this.log.record(manager, { action: 'unban', actor: moderator, targetType: 'user', targetId: id });
    });
  }

  async setPremod(id: string, siteId: number, enabled: boolean, moderator: AuthUser): Promise<void> {
    await this.transactions.run(async (manager) => {
      await this.users.see(manager, moderator);
      await this.users.see(manager, { id, name: null, siteId });
      const { rowCount: affected } = await sql(
        manager,
        `UPDATE users SET premod = $2, updated_at = now() WHERE id = $1 AND premod <> $2`,
        [id, enabled],
      );
      if (affected > 0) {
        await this.log.record(manager, {
          action: enabled ? 'premod_on' : 'premod_off',
          actor: moderator,
          targetType: 'user',
          targetId: id,
        });
      }
    });
  }
}
