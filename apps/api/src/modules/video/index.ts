// The public surface of the video module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { VideoModule } from './video.module';
export { VideoService } from './video.service';
export type { VideoRoomState } from './video.service';
export { RecordingProofs } from './recordings/recording-proofs.service';
export type { RecordingProof } from './recordings/recording-proofs.service';
