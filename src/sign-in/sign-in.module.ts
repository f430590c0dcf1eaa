import { Module } from '@nestjs/common';
import { SessionsController } from './sessions.controller';
import { Sessions } from './sessions.service';
import { SignInController } from './sign-in.controller';
import { SignInSitesController } from './sign-in-sites.controller';
import { SiteSignIns } from './site-sign-ins.service';

@Module({
  controllers: [SessionsController, SignInController, SignInSitesController],
  providers: [Sessions, SiteSignIns],
  exports: [Sessions],
})
export class SignInModule {}
