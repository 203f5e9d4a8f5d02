import { DynamicModule, Module } from '@nestjs/common';
import { ConsultationsModule } from '../consultations';
import { ContractsModule } from '../contracts';
import { FinanceModule } from '../finance';
import { LedgerModule } from '../ledger';
import { StatementsModule } from '../statements';
import { LawyersModule } from '../lawyers';
import { MarketplaceModule } from '../marketplace';
import { PartnersModule } from '../partners';
import { PaymentsModule } from '../payments';
import { StripeSandboxModule } from '../stripe-sandbox';
import { DemoSeeder } from './demo-seeder.service';
import { ReviewsModule } from '../reviews';
import { SupportModule } from '../support';
import { DemoCases } from './demo-cases.service';
import { DemoContractsSeeder } from './demo-contracts.service';
import { DemoFinance } from './demo-finance.service';
import { DemoIntegrationsSeeder } from './demo-integrations.service';
import { DemoMessagingSeeder } from './demo-messaging.service';

/**
 * Demo accounts and sessions for embedded mode (see DEMO_SEED); main.ts runs the seeder once
 * the app listens. The demo sessions are paid on the local Stripe sandbox, so with
 * `stripeSandbox: false` (a real STRIPE_SECRET_KEY) the sandbox is not imported and no session
 * is seeded.
 */
@Module({})
export class DemoModule {
  static forRoot(options: { stripeSandbox: boolean }): DynamicModule {
    return {
      module: DemoModule,
      imports: [
        LawyersModule,
        PartnersModule,
        MarketplaceModule,
        PaymentsModule,
        ConsultationsModule,
        ReviewsModule,
        SupportModule,
        LedgerModule,
        FinanceModule,
        StatementsModule,
        ContractsModule,
        ...(options.stripeSandbox ? [StripeSandboxModule] : []),
      ],
      providers: [DemoSeeder, DemoCases, DemoFinance, DemoContractsSeeder, DemoMessagingSeeder, DemoIntegrationsSeeder],
      exports: [DemoSeeder],
    };
  }
}
