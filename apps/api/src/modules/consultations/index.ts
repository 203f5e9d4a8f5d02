// The public surface of the consultations module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { ConsultationsModule } from './consultations.module';
export { ConsultationsService } from './consultations.service';
export type { OwnSessionDetail, SessionSlots } from './consultations.service';
