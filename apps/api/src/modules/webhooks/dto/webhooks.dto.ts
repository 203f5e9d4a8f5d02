import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@lm/domain';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PagedResponse } from '../../../common/http/paged.response';
import { IsOmittable } from '../../../common/validation/omittable';
import type { AttemptRecord, DeliveryRow, EndpointRow } from '../webhooks.repository';

export class CreateWebhookEndpointDto {
  @ApiProperty({
    example: 'https://example.com/hooks/lexmarket',
    maxLength: 2048,
    description: 'Absolute http(s) URL; in production not a loopback, private or link-local address.',
  })
  @IsString()
  @MinLength(8)
  @MaxLength(2048)
  url: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Practice management sync' })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  description?: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  eventTypes: WebhookEventType[];
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional({ maxLength: 2048, example: 'https://crm.example-lawfirm.com/hooks/lexmarket' })
  @IsOmittable()
  @IsString()
  @MinLength(8)
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Practice management sync', description: 'An empty string clears it.' })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  description?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, minItems: 1 })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  eventTypes?: WebhookEventType[];

  @ApiPropertyOptional({ description: 'false disables the endpoint; true enables it again (and forgets past failures).' })
  @IsOmittable()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookEndpointResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'https://crm.example-lawfirm.com/hooks/lexmarket' }) url: string;
  @ApiProperty({ type: String, nullable: true, example: 'Practice management sync' }) description: string | null;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) eventTypes: string[];
  @ApiProperty({ enum: ['ACTIVE', 'DISABLED'] }) status: 'ACTIVE' | 'DISABLED';
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: "'owner' or 'failing' (3 days of failed deliveries)" })
  disabledReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'First failed attempt since the last success.' })
  failingSince: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Until when the previous secret also signs (after a rotation).',
  })
  previousSecretExpiresAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class CreatedWebhookEndpointResponse extends WebhookEndpointResponse {
  @ApiProperty({ example: 'whsec_…', description: 'The signing secret. Shown only now: store it.' })
  secret: string;
}

export class RotatedWebhookSecretResponse {
  @ApiProperty({ type: WebhookEndpointResponse }) endpoint: WebhookEndpointResponse;
  @ApiProperty({ example: 'whsec_…', description: 'The new signing secret. Shown only now.' }) secret: string;
}

export class WebhookTestEventResponse {
  @ApiProperty({ example: 'evt_…' }) eventId: string;
  @ApiProperty({ format: 'uuid' }) deliveryId: string;
}

export class WebhookAttemptResponse {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: 'integer', nullable: true, example: 200 }) statusCode: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why no response arrived (timeout, ECONNREFUSED, WEBHOOK_URL_FORBIDDEN…).',
    example: null,
  })
  error: string | null;
  @ApiProperty({ type: 'integer', example: 184 }) durationMs: number;
  @ApiProperty({ description: 'A replay by the owner.' }) manual: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The LexMarket-Signature header sent (t=…,v1=…); null when nothing was sent.',
  })
  signature: string | null;
}

export class WebhookDeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) endpointId: string;
  @ApiProperty({ example: 'evt_…' }) eventId: string;
  @ApiProperty({ example: 'session.paid' }) eventType: string;
  @ApiProperty({ enum: ['PENDING', 'DELIVERED', 'FAILED'] }) status: string;
  @ApiProperty({ type: 'integer' }) attempts: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastAttemptAt: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 200 }) lastStatusCode: number | null;
  @ApiProperty({ type: String, nullable: true, example: null }) lastError: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 184 }) lastDurationMs: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class WebhookDeliveryDetailResponse extends WebhookDeliveryResponse {
  @ApiProperty({
    description: 'The JSON body sent (the same bytes on every attempt).',
    example: '{"id":"evt_3f9c1a7e2b5d4c8a9e0f1b2c","type":"webhook.test","created":"2026-03-12T14:00:00.000Z","data":{}}',
  })
  requestBody: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The first 4 KiB of the last response.',
    example: '{"received":true}',
  })
  responseExcerpt: string | null;
  @ApiProperty({ type: [WebhookAttemptResponse] }) history: WebhookAttemptResponse[];
}

export class WebhookDeliveryPageResponse extends PagedResponse(WebhookDeliveryResponse) {}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function toEndpointResponse(e: EndpointRow): WebhookEndpointResponse {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    status: e.status,
    disabledAt: iso(e.disabledAt),
    disabledReason: e.disabledReason,
    failingSince: iso(e.failingSince),
    previousSecretExpiresAt: iso(e.previousSecretExpiresAt),
    createdAt: iso(e.createdAt)!,
    updatedAt: iso(e.updatedAt)!,
  };
}

export function toDeliveryResponse(d: DeliveryRow): WebhookDeliveryResponse {
  return {
    id: d.id,
    endpointId: d.endpointId,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: iso(d.nextAttemptAt),
    lastAttemptAt: iso(d.lastAttemptAt),
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    lastDurationMs: d.lastDurationMs,
    deliveredAt: iso(d.deliveredAt),
    createdAt: iso(d.createdAt)!,
  };
}

export function toDeliveryDetailResponse(d: DeliveryRow & { body: string }): WebhookDeliveryDetailResponse {
  return {
    ...toDeliveryResponse(d),
    requestBody: d.body,
    responseExcerpt: d.lastResponseExcerpt,
    history: d.history.map((h: AttemptRecord) => ({
      at: h.at,
      statusCode: h.statusCode,
      error: h.error,
      durationMs: h.durationMs,
      manual: h.manual,
      signature: h.signature ?? null,
    })),
  };
}
