import { Global, Module } from '@nestjs/common';
import { SiteOrigins } from './site-origins';
import { SitesDirectory } from './sites.directory';

@Global()
@Module({ providers: [SitesDirectory, SiteOrigins], exports: [SitesDirectory, SiteOrigins] })
export class SitesModule {}
