import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { SiteRoles } from './site-roles';
import { TokenVerifier } from './token-verifier.service';

@Global()
@Module({
  providers: [TokenVerifier, SiteRoles, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenVerifier, SiteRoles],
})
export class AuthModule {}
