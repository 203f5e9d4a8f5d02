import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SESSION_STATUSES, WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT } from '@lm/domain';

/**
 * The webhook events as the OpenAPI document describes them (components WebhookEvent and one
 * `<Type>WebhookEvent` per type, plus the document's `x-webhooks`). The document is OpenAPI 3.0
 * (what @nestjs/swagger emits), which has no `webhooks` section, so the events are component
 * schemas with a discriminator on `type`.
 *
 * One file on purpose: these classes are exactly the `data` the emitters send (the webhooks
 * integration tests validate every delivered body against the document, closed: a field the
 * document does not declare fails them). The emitters: session.* in
 * modules/webhooks/session-webhooks.ts, refund.succeeded in payments/refunds.service.ts,
 * recording.available in video/recordings/recording-vault.service.ts, review.published in
 * reviews/review-publication.service.ts, contract.executed in contracts/contract-signing.service.ts,
 * payout.created in finance/payouts.service.ts, lawyer.verified in lawyers/lawyers.service.ts,
 * webhook.test in webhooks/webhook-endpoints.service.ts.
 */
export const DOCUMENTED_WEBHOOK_EVENT_TYPES = [...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT] as const;
export type DocumentedWebhookEventType = (typeof DOCUMENTED_WEBHOOK_EVENT_TYPES)[number];

const UUID_SESSION = '5b1f0e9c-2d4a-4c61-9a7e-0c3f1d2b8e47';
const SHA256_EXAMPLE = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

export class WebhookSessionOffering {
  @ApiProperty({ example: 'Employment contract review (60 min)' })
  title: string;
}

export class WebhookSessionPrice {
  @ApiProperty({ type: 'integer', description: 'Price in minor units of `currency`', example: 15000 })
  amountMinor: number;

  @ApiProperty({ description: 'ISO 4217', example: 'EUR' })
  currency: string;
}

export class WebhookCounterpart {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Display name of the other party (nothing else of theirs is ever sent)',
    example: 'Amelia Hart',
  })
  displayName: string | null;
}

/** The session as the recipient (its client or its lawyer) sees it. */
export class WebhookSession {
  @ApiProperty({ format: 'uuid', example: UUID_SESSION })
  id: string;

  @ApiProperty({ enum: SESSION_STATUSES, description: 'Session status after the event', example: 'SCHEDULED' })
  status: string;

  @ApiProperty({ enum: ['CLIENT', 'LAWYER'], description: 'The recipient’s side of the session', example: 'CLIENT' })
  role: 'CLIENT' | 'LAWYER';

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: '2026-03-12T14:00:00.000Z' })
  startAt: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: '2026-03-12T15:00:00.000Z' })
  endAt: string | null;

  @ApiProperty({ type: 'integer', example: 60 })
  durationMinutes: number;

  @ApiProperty({ type: () => WebhookSessionOffering })
  offering: WebhookSessionOffering;

  @ApiProperty({ type: () => WebhookSessionPrice })
  price: WebhookSessionPrice;

  @ApiProperty({ type: () => WebhookCounterpart })
  counterpart: WebhookCounterpart;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: '2026-03-01T10:00:00.000Z' })
  paidAt: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null })
  cancelledAt: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null })
  completedAt: string | null;
}

/** `data` of session.paid, session.scheduled and session.completed. */
export class SessionWebhookData {
  @ApiProperty({ type: () => WebhookSession })
  session: WebhookSession;
}

export class SessionRescheduledWebhookData extends SessionWebhookData {
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: '2026-03-11T14:00:00.000Z' })
  previousStartAt: string | null;

  @ApiProperty({ description: 'True when the client accepted the lawyer’s proposed time', example: false })
  proposalAccepted: boolean;
}

export class WebhookCancellation {
  @ApiProperty({
    enum: ['you', 'counterpart', 'system'],
    description: 'Who cancelled, from the recipient’s point of view',
    example: 'counterpart',
  })
  by: 'you' | 'counterpart' | 'system';

  @ApiProperty({ type: String, nullable: true, description: 'The cancellation policy applied', example: 'CLIENT_MORE_THAN_24H' })
  policy: string | null;

  @ApiProperty({ type: 'integer', description: 'Refund due to the client, in minor units', example: 15000 })
  refundMinor: number;
}

export class SessionCancelledWebhookData extends SessionWebhookData {
  @ApiProperty({ type: () => WebhookCancellation })
  cancellation: WebhookCancellation;
}

export class RefundWebhookData {
  @ApiProperty({ format: 'uuid', example: '9d2c6b8e-1f3a-4e5d-8c7b-6a5f4e3d2c1b' })
  refundId: string;

  @ApiProperty({ format: 'uuid', example: UUID_SESSION })
  sessionId: string;

  @ApiProperty({ enum: ['CLIENT', 'LAWYER'], description: 'The recipient’s side of the session', example: 'CLIENT' })
  role: 'CLIENT' | 'LAWYER';

  @ApiProperty({ type: 'integer', description: 'Refunded amount, in minor units of `currency`', example: 15000 })
  amountMinor: number;

  @ApiProperty({ description: 'ISO 4217', example: 'EUR' })
  currency: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-12T13:05:00.000Z' })
  succeededAt: string;

  @ApiPropertyOptional({
    description: 'Why the client was refunded (the client’s copy only; the lawyer’s has no reason)',
    example: 'Cancelled more than 24 h before the start: full refund',
  })
  reason?: string;
}

export class RecordingWebhookData {
  @ApiProperty({ format: 'uuid', example: '3e7a9c1d-5b2f-4d8e-a6c4-1f0b9e8d7c6a' })
  recordingId: string;

  @ApiProperty({ format: 'uuid', example: UUID_SESSION })
  sessionId: string;

  @ApiProperty({
    enum: ['composition', 'participant'],
    description: 'composition: the provider’s mix of the whole call; participant: one browser’s own tracks',
    example: 'composition',
  })
  kind: 'composition' | 'participant';

  @ApiProperty({
    enum: ['you', 'counterpart'],
    nullable: true,
    description: 'Whose browser recorded it (null for a composition)',
    example: null,
  })
  recordedBy: 'you' | 'counterpart' | null;

  @ApiProperty({ example: 'video/webm' })
  contentType: string;

  @ApiProperty({ type: 'integer', nullable: true, example: 3540 })
  durationSeconds: number | null;

  @ApiProperty({ type: 'integer', example: 48_213_904 })
  sizeBytes: number;

  @ApiProperty({
    description: 'SHA-256 (hex) of the file, chained into the audit trail (GET /api/verify/{sha256})',
    example: SHA256_EXAMPLE,
  })
  sha256: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-12T15:20:00.000Z' })
  availableAt: string;
}

export class ReviewWebhookData {
  @ApiProperty({ format: 'uuid', example: '7c4b2a1e-9d8f-4e6c-b5a3-2f1e0d9c8b7a' })
  reviewId: string;

  @ApiProperty({ format: 'uuid', example: UUID_SESSION })
  sessionId: string;

  @ApiProperty({ enum: ['CLIENT', 'LAWYER'], description: 'Which side of the session wrote it', example: 'CLIENT' })
  authorSide: 'CLIENT' | 'LAWYER';

  @ApiProperty({ format: 'date-time', example: '2026-03-19T15:00:00.000Z' })
  publishedAt: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 5,
    description: 'Absent when the review is hidden from the recipient',
    example: 5,
  })
  rating?: number;

  @ApiPropertyOptional({
    description: 'Absent when the review is hidden from the recipient',
    example: 'Clear, practical advice on my notice period.',
  })
  comment?: string;

  @ApiPropertyOptional({
    enum: [true],
    description: 'Present (true) when moderation hid the review from the recipient; rating and comment are then absent',
    example: true,
  })
  hidden?: true;
}

export class ContractWebhookData {
  @ApiProperty({ format: 'uuid', example: '2a9f8e7d-6c5b-4a3e-9d1c-0b8a7f6e5d4c' })
  contractId: string;

  @ApiProperty({ example: 'C-2026-000042' })
  number: string;

  @ApiProperty({ example: 'Engagement letter' })
  title: string;

  @ApiProperty({ format: 'uuid', example: UUID_SESSION })
  sessionId: string;

  @ApiProperty({ enum: ['CLIENT', 'LAWYER'], description: 'The recipient’s side of the contract', example: 'CLIENT' })
  role: 'CLIENT' | 'LAWYER';

  @ApiProperty({ format: 'date-time', example: '2026-03-13T09:30:00.000Z' })
  executedAt: string;

  @ApiProperty({ description: 'SHA-256 (hex) of the sealed executed PDF', example: SHA256_EXAMPLE })
  sha256: string;
}

export class PayoutWebhookData {
  @ApiProperty({ format: 'uuid', example: '6f5e4d3c-2b1a-4f9e-8d7c-6b5a4f3e2d1c' })
  payoutId: string;

  @ApiProperty({ enum: ['LAWYER', 'PARTNER'], description: 'As which role the recipient was paid', example: 'LAWYER' })
  role: 'LAWYER' | 'PARTNER';

  @ApiProperty({ type: 'integer', example: 127500 })
  amountMinor: number;

  @ApiProperty({ description: 'ISO 4217', example: 'EUR' })
  currency: string;

  @ApiProperty({
    description: 'How it was paid, outside the platform (BANK_TRANSFER, PAYPAL, WISE, CHECK, OTHER)',
    example: 'BANK_TRANSFER',
  })
  method: string;

  @ApiProperty({ description: 'The payment’s reference (e.g. the bank transfer’s)', example: 'SEPA-2026-04-0193' })
  reference: string;

  @ApiProperty({ format: 'date-time', example: '2026-04-01T09:00:00.000Z' })
  paidAt: string;
}

export class LawyerVerifiedWebhookData {
  @ApiProperty({ format: 'uuid', example: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f' })
  lawyerId: string;

  @ApiProperty({ enum: ['VERIFIED'], example: 'VERIFIED' })
  status: 'VERIFIED';

  @ApiProperty({ format: 'date-time', example: '2026-02-20T11:15:00.000Z' })
  verifiedAt: string;
}

export class WebhookTestData {
  @ApiProperty({ format: 'uuid', example: '8b7a6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d' })
  endpointId: string;

  @ApiProperty({ example: 'A test event from LexMarket' })
  message: string;
}

/** Which `data` each event type carries. */
export const WEBHOOK_EVENT_DATA: Record<DocumentedWebhookEventType, { data: new () => object; summary: string }> = {
  'session.paid': { data: SessionWebhookData, summary: 'The client paid for a session (status PAID, not yet scheduled).' },
  'session.scheduled': { data: SessionWebhookData, summary: 'A paid session was given its time.' },
  'session.rescheduled': { data: SessionRescheduledWebhookData, summary: 'A scheduled session moved to another time.' },
  'session.cancelled': { data: SessionCancelledWebhookData, summary: 'A paid session was cancelled (a refund may follow).' },
  'session.completed': { data: SessionWebhookData, summary: 'A session was marked completed.' },
  'refund.succeeded': { data: RefundWebhookData, summary: 'A refund of a session payment succeeded.' },
  'recording.available': {
    data: RecordingWebhookData,
    summary: 'A recording of a session is in custody and can be played (no media link is sent).',
  },
  'review.published': { data: ReviewWebhookData, summary: 'A review of a session was published.' },
  'contract.executed': { data: ContractWebhookData, summary: 'Every party signed a contract; the sealed PDF exists.' },
  'payout.created': { data: PayoutWebhookData, summary: 'A payout to the recipient was recorded.' },
  'lawyer.verified': { data: LawyerVerifiedWebhookData, summary: 'The recipient’s lawyer profile was verified.' },
  'webhook.test': { data: WebhookTestData, summary: 'Sent by “Send test event”; not subscribable.' },
};
