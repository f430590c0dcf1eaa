import { Global, Module } from '@nestjs/common';
import { RenamedAuthors } from './renamed-authors';
import { UserNotesController } from './user-notes.controller';
import { UserNotes } from './user-notes.service';
import { UserRestrictions } from './user-restrictions.service';
import { UserSiteAccess } from './user-site-access';
import { UsersService } from './users.service';
import { ViewerController } from './viewer.controller';

@Global()
@Module({
  controllers: [UserNotesController, ViewerController],
  providers: [UsersService, RenamedAuthors, UserNotes, UserRestrictions, UserSiteAccess],
  exports: [UsersService, RenamedAuthors, UserRestrictions, UserSiteAccess],
})
export class UsersModule {}
