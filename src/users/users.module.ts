import { Global, Module } from '@nestjs/common';
import { RenamedAuthors } from './renamed-authors';
import { UserNotesController } from './user-notes.controller';
import { UserNotes } from './user-notes.service';
import { UserRestrictions } from './user-restrictions.service';
import { UsersService } from './users.service';
import { ViewerController } from './viewer.controller';

@Global()
@Module({
  controllers: [UserNotesController, ViewerController],
  providers: [UsersService, RenamedAuthors, UserNotes, UserRestrictions],
  exports: [UsersService, RenamedAuthors, UserRestrictions],
})
export class UsersModule {}
