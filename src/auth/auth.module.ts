import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { SessionTokens } from './session-tokens';
import { SiteRoles } from './site-roles';
import { TokenVerifier } from './token-verifier.service';

@Global()
@Module({
  providers: [TokenVerifier, SessionTokens, SiteRoles, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokenVerifier, SessionTokens, SiteRoles],
})
export class AuthModule {}
