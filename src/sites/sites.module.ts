import { Global, Module } from '@nestjs/common';
import { SitesDirectory } from './sites.directory';

@Global()
@Module({ providers: [SitesDirectory], exports: [SitesDirectory] })
export class SitesModule {}
