import { Global, Logger, Module, OnModuleInit } from '@nestjs/common';
import { Environment } from '../config/environment';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';
import { runMigrationsLocked } from './migrate';
import { Transactions } from './transactions';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [Environment],
      useFactory: (env: Environment) => ({
        ...dataSourceOptions(
          env.DATABASE_URL,
          {
            extra: {
              max: env.DATABASE_POOL_SIZE,
              // Fail fast when PostgreSQL is away: callers get a 503 instead of a hanging request.
              connectionTimeoutMillis: 3000,
              statement_timeout: 15000,
              query_timeout: 20000,
            },
          },
          env.DATABASE_REPLICA_URLS,
        ),
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [Transactions],
  exports: [Transactions],
})
export class DatabaseModule implements OnModuleInit {
  private readonly logger = new Logger('Migrations');

  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    const applied = await runMigrationsLocked(this.dataSource);
    if (applied.length > 0) this.logger.log(`Applied ${applied.join(', ')}`);
  }
}
