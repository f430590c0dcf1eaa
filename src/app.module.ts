import { Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ArticleAnnouncer } from './articles/article-announcer';
import { ArticlesModule } from './articles/articles.module';
import { AuthModule } from './auth/auth.module';
import { CommentsModule } from './comments/comments.module';
import { EnvironmentModule } from './config/environment.module';
import { DatabaseModule } from './database/database.module';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { DeliveryAdminModule } from './delivery-admin/delivery-admin.module';
import { ProblemFilter } from './errors/problem.filter';
import { createValidationPipe } from './errors/validation';
import { ExportsModule } from './exports/exports.module';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { JournalModule } from './journal/journal.module';
import { MailModule } from './mail/mail.module';
import { DigestsModule } from './digests/digests.module';
import { LiveModule } from './live/live.module';
import { ThreadEvents } from './live/thread-events.service';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ModerationModule } from './moderation/moderation.module';
import { PersonalDataModule } from './personal-data/personal-data.module';
import { RateLimitsModule } from './rate-limits/rate-limits.module';
import { ReportsModule } from './reports/reports.module';
import { SettingsModule } from './settings/settings.module';
import { SignInModule } from './sign-in/sign-in.module';
import { SiteAdminModule } from './site-admin/site-admin.module';
import { SitesModule } from './sites/sites.module';
import { SlackModule } from './slack/slack.module';
import { UsersModule } from './users/users.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/**
 * What lower features ask for and a higher one provides, bound here where the app is assembled:
 * articles announce their changes to the live stream, which reads articles.
 */
@Global()
@Module({ providers: [{ provide: ArticleAnnouncer, useExisting: ThreadEvents }], exports: [ArticleAnnouncer] })
class FeatureBindingsModule {}

@Module({
  imports: [
    EnvironmentModule,
    DatabaseModule,
    SitesModule,
    JournalModule,
    DeliveriesModule,
    AuthModule,
    RateLimitsModule,
    UsersModule,
    SettingsModule,
    SiteAdminModule,
    ArticlesModule,
    LiveModule,
    CommentsModule,
    ReportsModule,
    ModerationModule,
    ImportsModule,
    ExportsModule,
    PersonalDataModule,
    SignInModule,
    MailModule,
    SlackModule,
    DeliveryAdminModule,
    NotificationsModule,
    DigestsModule,
    WebhooksModule,
    HealthModule,
    MetricsModule,
    FeatureBindingsModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: ProblemFilter },
  ],
})
export class AppModule {}
