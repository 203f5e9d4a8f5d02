// The public surface of the partners module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { PartnersModule } from './partners.module';
export { PartnersService } from './partners.service';
