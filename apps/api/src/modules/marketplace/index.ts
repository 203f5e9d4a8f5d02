// The public surface of the marketplace module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export type { AvailabilitySettings } from './availability/availability';
export { AvailabilityService } from './availability/availability.service';
export type { TimeRange } from './availability/slots';
export { SlotResponse, SlotsResponse, SlotWindowQueryDto } from './dto/directory.dto';
export { SlotNotAvailable } from './marketplace.errors';
export { MarketplaceModule } from './marketplace.module';
export { MarketplaceService } from './marketplace.service';
export type { OfferingFields } from './offerings/offering';
export { OfferingsService } from './offerings/offerings.service';
