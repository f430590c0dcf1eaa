import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { SiteChanges } from './site-changes.service';
import { SiteMembers } from './site-members.service';
import { SiteMembersController } from './site-members.controller';
import { SitesAdminController } from './sites-admin.controller';

/** The admin API of sites: making and changing them, and the roles granted on them. */
@Module({
  imports: [MailModule],
  controllers: [SitesAdminController, SiteMembersController],
  providers: [SiteChanges, SiteMembers],
})
export class SiteAdminModule {}
