// The public surface of the lawyers module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { PublicLawyerResponse, toPublicLawyerResponse } from './dto/lawyer-profile.response';
export type { LawyerProfile, LawyerProfileFields } from './lawyer-profile';
export { LawyersModule } from './lawyers.module';
export { LawyersService } from './lawyers.service';
