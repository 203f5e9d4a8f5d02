// The public surface of the webhooks module: other modules and the app import only what is here
// (the build's dependency rules refuse anything else; see docs/architecture.md).
export { WebhooksModule } from './webhooks.module';
export { WebhookEvents, WEBHOOK_DELIVER_QUEUE } from './webhook-events.service';
export type { WebhookEmit } from './webhook-events.service';
export { WebhookEndpointsService } from './webhook-endpoints.service';
