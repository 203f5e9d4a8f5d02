import { DynamicModule, Module, Type } from '@nestjs/common';

export type ModuleImport = Type<unknown> | DynamicModule;
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AccessGuard } from './common/auth/access.guard';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { typeormOptions } from './database/typeorm-options';
import { loggerOptions } from './logger-options';
import { AuditModule } from './modules/audit/audit.module';
import { DemoModule } from './modules/demo/demo.module';
import { HealthModule } from './modules/health/health.module';
import { IdentityModule } from './modules/identity/identity.module';
import { JobsModule } from './modules/jobs/jobs.module';
import { LawyersModule } from './modules/lawyers/lawyers.module';
import { MailModule } from './modules/mail/mail.module';
import { PartnersModule } from './modules/partners/partners.module';
import { StorageModule } from './modules/storage/storage.module';
import { ConsultationsModule } from './modules/consultations/consultations.module';
import { LedgerModule } from './modules/ledger/ledger.module';
import { MarketplaceModule } from './modules/marketplace/marketplace.module';
import { PaymentsModule } from './modules/payments/payments.module';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
  /** Build the module graph without connecting (used to write the OpenAPI document). */
  documentOnly?: boolean;
  /** Additional modules (tests mount probe controllers to exercise the global pipeline). */
  extraModules?: ModuleImport[];
}

@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, documentOnly = false, extraModules = [] }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config)),
        TypeOrmModule.forRoot({
          ...typeormOptions(databaseUrl, { poolSize: config.DB_POOL_SIZE, migrationsRun: config.DB_MIGRATIONS_RUN }),
          manualInitialization: documentOnly,
          retryAttempts: 3,
          retryDelay: 1000,
        }),
        ThrottlerModule.forRoot({
          throttlers: [{ ttl: config.THROTTLE_TTL_SECONDS * 1000, limit: config.THROTTLE_LIMIT }],
        }),
        JobsModule,
        StorageModule,
        HealthModule,
        IdentityModule,
        AuditModule,
        MailModule,
        LawyersModule,
        PartnersModule,
        MarketplaceModule,
        LedgerModule,
        PaymentsModule,
        ConsultationsModule,
        DemoModule,
        ...extraModules,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        // Default deny: every route declares @Public() or @Roles(...).
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
    };
  }
}
