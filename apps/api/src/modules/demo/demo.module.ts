import { Module } from '@nestjs/common';
import { LawyersModule } from '../lawyers';
import { MarketplaceModule } from '../marketplace';
import { PartnersModule } from '../partners';
import { DemoSeeder } from './demo-seeder.service';

/** Demo accounts for embedded mode (see DEMO_SEED); main.ts runs the seeder once the app listens. */
@Module({
  imports: [LawyersModule, PartnersModule, MarketplaceModule],
  providers: [DemoSeeder],
  exports: [DemoSeeder],
})
export class DemoModule {}
