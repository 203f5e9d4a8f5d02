import { Module } from '@nestjs/common';
import { AuditModule } from '../audit';
import { LawyersModule } from '../lawyers';
import { AvailabilityRepository } from './availability/availability.repository';
import { AvailabilityService } from './availability/availability.service';
import { LawyerAvailabilityController } from './availability/lawyer-availability.controller';
import { DirectoryRepository } from './directory/directory.repository';
import { DirectoryService } from './directory/directory.service';
import { LawyersDirectoryController } from './directory/lawyers-directory.controller';
import { MarketplaceService } from './marketplace.service';
import { LawyerOfferingsController } from './offerings/lawyer-offerings.controller';
import { OfferingsRepository } from './offerings/offerings.repository';
import { OfferingsService } from './offerings/offerings.service';

/**
 * Offerings, availability, slots and the public directory (including the public lawyer
 * profile `GET /api/lawyers/:id`, which shows the offerings). Exports MarketplaceService
 * (offering for sale, booking check, availability-changed signal) to payments and
 * consultations, and OfferingsService / AvailabilityService for the demo seeder.
 */
@Module({
  imports: [AuditModule, LawyersModule],
  controllers: [LawyerOfferingsController, LawyerAvailabilityController, LawyersDirectoryController],
  providers: [
    AvailabilityRepository,
    OfferingsRepository,
    DirectoryRepository,
    MarketplaceService,
    OfferingsService,
    AvailabilityService,
    DirectoryService,
  ],
  exports: [MarketplaceService, OfferingsService, AvailabilityService],
})
export class MarketplaceModule {}
