// The public surface of the jobs module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { JobsModule } from './jobs.module';
export { JobsService } from './jobs.service';
