// The public surface of the support module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { SupportModule } from './support.module';
