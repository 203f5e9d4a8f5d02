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
import { AuditModule } from './modules/audit';
import { ContractsModule } from './modules/contracts';
import { DemoModule } from './modules/demo';
import { FinanceModule } from './modules/finance';
import { HealthModule } from './modules/health';
import { IdentityModule, RequestThrottleStorage } from './modules/identity';
import { JobsModule } from './modules/jobs';
import { LawyersModule } from './modules/lawyers';
import { MailModule } from './modules/mail';
import { NotificationsModule } from './modules/notifications';
import { VerifyModule } from './modules/verify';
import { VideoModule } from './modules/video';
import { PartnersModule } from './modules/partners';
import { StorageModule } from './modules/storage';
import { ConsultationsModule } from './modules/consultations';
import { LedgerModule } from './modules/ledger';
import { MarketplaceModule } from './modules/marketplace';
import { MessagingModule } from './modules/messaging';
import { PaymentsModule } from './modules/payments';
import { ReviewsModule } from './modules/reviews';
import { StatementsModule } from './modules/statements';
import { StripeSandboxModule } from './modules/stripe-sandbox';
import { SupportModule } from './modules/support';
import { WebhooksModule } from './modules/webhooks';
import { Clock, ClockModule } from './common/time/clock';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
  /** Build the module graph without connecting (used to write the OpenAPI document). */
  documentOnly?: boolean;
  /** Additional modules (tests mount probe controllers to exercise the global pipeline). */
  extraModules?: ModuleImport[];
  /** Business time; the system clock unless a test passes one it can move. */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot({ config, databaseUrl, documentOnly = false, extraModules = [], clock }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        ClockModule.forRoot(clock),
        LoggerModule.forRoot(loggerOptions(config)),
        TypeOrmModule.forRoot({
          ...typeormOptions(databaseUrl, {
            poolSize: config.DB_POOL_SIZE,
            acquireTimeoutMs: config.DB_POOL_ACQUIRE_TIMEOUT_MS,
            migrationsRun: config.DB_MIGRATIONS_RUN,
          }),
          manualInitialization: documentOnly,
          retryAttempts: 3,
          retryDelay: 1000,
        }),
        // Counted in PostgreSQL (identity's RequestThrottleStorage), so replicas share every limit.
        ThrottlerModule.forRootAsync({
          inject: [RequestThrottleStorage],
          useFactory: (storage: RequestThrottleStorage) => ({
            throttlers: [{ ttl: config.THROTTLE_TTL_SECONDS * 1000, limit: config.THROTTLE_LIMIT }],
            storage,
          }),
        }),
        JobsModule,
        StorageModule,
        HealthModule,
        IdentityModule,
        AuditModule,
        MailModule,
        NotificationsModule,
        LawyersModule,
        PartnersModule,
        MarketplaceModule,
        LedgerModule,
        PaymentsModule,
        ConsultationsModule,
        VideoModule,
        ReviewsModule,
        VerifyModule,
        SupportModule,
        StatementsModule,
        FinanceModule,
        ContractsModule,
        MessagingModule,
        WebhooksModule,
        // A stand-in for Stripe, only when no real key is configured (its routes do not exist otherwise).
        ...(config.STRIPE_SECRET_KEY ? [] : [StripeSandboxModule]),
        DemoModule.forRoot({ stripeSandbox: !config.STRIPE_SECRET_KEY }),
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
