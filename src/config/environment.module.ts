import { Global, Module } from '@nestjs/common';
import { Environment, validateEnvironment } from './environment';

/** The validated environment, read when the application is created (not when its code is loaded). */
@Global()
@Module({
  providers: [{ provide: Environment, useFactory: () => validateEnvironment(process.env) }],
  exports: [Environment],
})
export class EnvironmentModule {}
