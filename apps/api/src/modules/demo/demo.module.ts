import { Module } from '@nestjs/common';
import { LawyersModule } from '../lawyers/lawyers.module';
import { MarketplaceModule } from '../marketplace/marketplace.module';
import { PartnersModule } from '../partners/partners.module';
import { DemoSeeder } from './demo-seeder.service';

/** Demo accounts for embedded mode (see DEMO_SEED); main.ts runs the seeder once the app listens. */
@Module({
  imports: [LawyersModule, PartnersModule, MarketplaceModule],
  providers: [DemoSeeder],
  exports: [DemoSeeder],
})
export class DemoModule {}
