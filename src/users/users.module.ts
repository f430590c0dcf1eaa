import { Global, Module } from '@nestjs/common';
import { RenamedAuthors } from './renamed-authors';
import { UsersService } from './users.service';

@Global()
@Module({ providers: [UsersService, RenamedAuthors], exports: [UsersService, RenamedAuthors] })
export class UsersModule {}
