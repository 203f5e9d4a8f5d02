import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The webhook events as the OpenAPI document describes them (components WebhookEvent and one
 * `<Type>WebhookEvent` per type, plus the document's `x-webhooks`). The document is OpenAPI 3.0
 * (what @nestjs/swagger emits), which has no `webhooks` section, so the events are component
 * schemas with a discriminator on `type`.
 *
 * One file on purpose: the payloads the webhooks module sends must match these shapes; the
 * event types must equal WEBHOOK_EVENT_TYPES (+ 'webhook.test') of libs/domain/src/webhooks.ts.
 */
export const DOCUMENTED_WEBHOOK_EVENT_TYPES = [
  'session.paid',
  'session.scheduled',
  'session.rescheduled',
  'session.cancelled',
  'session.completed',
  'refund.succeeded',
  'recording.available',
  'review.published',
  'contract.executed',
  'payout.created',
  'lawyer.verified',
  'webhook.test',
] as const;
export type DocumentedWebhookEventType = (typeof DOCUMENTED_WEBHOOK_EVENT_TYPES)[number];

/** `data` of the session.* events, as the recipient (client or lawyer) sees the session. */
export class SessionWebhookData {
  @ApiProperty({ format: 'uuid', example: '5b1f0e9c-2d4a-4c61-9a7e-0c3f1d2b8e47' })
  sessionId: string;

  @ApiProperty({ description: 'Session status after the event', example: 'SCHEDULED' })
  status: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: '2026-03-12T14:00:00.000Z' })
  startAt: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: '2026-03-12T15:00:00.000Z' })
  endAt: string | null;

  @ApiProperty({ example: 'Employment contract review (60 min)' })
  offeringTitle: string;

  @ApiProperty({ type: 'integer', description: 'Price in minor units of `currency`', example: 15000 })
  priceMinor: number;

  @ApiProperty({ description: 'ISO 4217, lower case as Stripe', example: 'eur' })
  currency: string;

  @ApiProperty({ description: 'Display name of the other party of the session', example: 'Amelia Hart' })
  counterpartName: string;
}

export class RefundWebhookData {
  @ApiProperty({ format: 'uuid', example: '9d2c6b8e-1f3a-4e5d-8c7b-6a5f4e3d2c1b' })
  refundId: string;

  @ApiProperty({ format: 'uuid', example: '5b1f0e9c-2d4a-4c61-9a7e-0c3f1d2b8e47' })
  sessionId: string;

  @ApiProperty({ type: 'integer', example: 15000 })
  amountMinor: number;

  @ApiProperty({ example: 'eur' })
  currency: string;
}

export class RecordingWebhookData {
  @ApiProperty({ format: 'uuid', example: '3e7a9c1d-5b2f-4d8e-a6c4-1f0b9e8d7c6a' })
  recordingId: string;

  @ApiProperty({ format: 'uuid', example: '5b1f0e9c-2d4a-4c61-9a7e-0c3f1d2b8e47' })
  sessionId: string;

  @ApiProperty({ type: 'integer', example: 3540 })
  durationSeconds: number;
}

export class ReviewWebhookData {
  @ApiProperty({ format: 'uuid', example: '7c4b2a1e-9d8f-4e6c-b5a3-2f1e0d9c8b7a' })
  reviewId: string;

  @ApiProperty({ format: 'uuid', example: '5b1f0e9c-2d4a-4c61-9a7e-0c3f1d2b8e47' })
  sessionId: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 5 })
  rating: number;

  @ApiProperty({ type: String, nullable: true, example: 'Clear, practical advice on my notice period.' })
  comment: string | null;
}

export class ContractWebhookData {
  @ApiProperty({ format: 'uuid', example: '2a9f8e7d-6c5b-4a3e-9d1c-0b8a7f6e5d4c' })
  contractId: string;

  @ApiProperty({ format: 'uuid', example: '5b1f0e9c-2d4a-4c61-9a7e-0c3f1d2b8e47' })
  sessionId: string;

  @ApiProperty({ example: 'Engagement letter' })
  title: string;

  @ApiProperty({
    description: 'SHA-256 (hex) of the executed PDF',
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  })
  sha256: string;
}

export class PayoutWebhookData {
  @ApiProperty({ format: 'uuid', example: '6f5e4d3c-2b1a-4f9e-8d7c-6b5a4f3e2d1c' })
  payoutId: string;

  @ApiProperty({ type: 'integer', example: 127500 })
  amountMinor: number;

  @ApiProperty({ example: 'eur' })
  currency: string;

  @ApiProperty({ format: 'date-time', example: '2026-04-01T09:00:00.000Z' })
  paidAt: string;
}

export class LawyerVerifiedWebhookData {
  @ApiProperty({ format: 'uuid', example: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f' })
  lawyerId: string;

  @ApiProperty({ format: 'date-time', example: '2026-02-20T11:15:00.000Z' })
  verifiedAt: string;
}

export class WebhookTestData {
  @ApiProperty({ format: 'uuid', example: '8b7a6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d' })
  endpointId: string;

  @ApiPropertyOptional({ example: 'This is a test event from LexMarket.' })
  message?: string;
}

/** Which `data` each event type carries. */
export const WEBHOOK_EVENT_DATA: Record<DocumentedWebhookEventType, { data: new () => object; summary: string }> = {
  'session.paid': { data: SessionWebhookData, summary: 'The client paid for a session (status PAID, not yet scheduled).' },
  'session.scheduled': { data: SessionWebhookData, summary: 'A paid session was given its time.' },
  'session.rescheduled': { data: SessionWebhookData, summary: 'A scheduled session moved to another time.' },
  'session.cancelled': { data: SessionWebhookData, summary: 'A session was cancelled (a refund may follow).' },
  'session.completed': { data: SessionWebhookData, summary: 'A session was marked completed.' },
  'refund.succeeded': { data: RefundWebhookData, summary: 'A refund of a session payment succeeded.' },
  'recording.available': { data: RecordingWebhookData, summary: 'The recording of a session can be played.' },
  'review.published': { data: ReviewWebhookData, summary: 'A review of a session was published.' },
  'contract.executed': { data: ContractWebhookData, summary: 'Every party signed a contract; the sealed PDF exists.' },
  'payout.created': { data: PayoutWebhookData, summary: 'A payout to the recipient was recorded.' },
  'lawyer.verified': { data: LawyerVerifiedWebhookData, summary: 'The recipient’s lawyer profile was verified.' },
  'webhook.test': { data: WebhookTestData, summary: 'Sent by “Send test event”; not subscribable.' },
};
