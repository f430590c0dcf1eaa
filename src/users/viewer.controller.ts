import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Access, AuthUser } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { User } from './user.entity';
import { isBanned } from './users.service';
import { ViewerView } from './users.views';

/** The signed-in reader as the embed needs them before they write: whether they may post. */
@ApiTags('comments')
@ApiBearerAuth()
@Access('user')
@Controller('me')
export class ViewerController {
  constructor(private readonly dataSource: DataSource) {}

  /** The caller, with a ban in force (and its end); a user never seen before is not banned. */
  @Get()
  async me(@CurrentUser() viewer: AuthUser): Promise<ViewerView> {
    const user = await this.dataSource.manager.findOneBy(User, { id: viewer.id });
    const banned = !!user && isBanned({ banned_at: user.bannedAt, ban_until: user.banUntil });
    return { id: viewer.id, name: user?.name ?? viewer.name, ban: { banned, until: banned ? user!.banUntil : null } };
  }
}
