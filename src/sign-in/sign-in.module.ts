import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { AddressDigests } from './address-digests';
import { EmailSignInController } from './email-sign-in.controller';
import { EmailSignIns } from './email-sign-ins.service';
import { SessionsController } from './sessions.controller';
import { Sessions } from './sessions.service';
import { SignInController } from './sign-in.controller';
import { SignInSitesController } from './sign-in-sites.controller';
import { SiteSignIns } from './site-sign-ins.service';

@Module({
  imports: [MailModule],
  controllers: [SessionsController, SignInController, SignInSitesController, EmailSignInController],
  providers: [Sessions, SiteSignIns, EmailSignIns, AddressDigests],
  exports: [Sessions, EmailSignIns],
})
export class SignInModule {}
