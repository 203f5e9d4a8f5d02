// The public surface of the demo module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { DemoSeeder, demoAccountsBanner } from './demo-seeder.service';
export { DemoClock, holdRequestsWhileTravelling } from './demo-clock';
export { DemoModule } from './demo.module';
