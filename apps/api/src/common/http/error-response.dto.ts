import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorResponse {
  @ApiProperty({ example: 'email' })
  field: string;

  @ApiProperty({ example: ['email must be an email'] })
  messages: string[];
}

/** The body of every error the API returns, whatever its status. */
export class ErrorResponse {
  @ApiProperty({ example: 400 })
  statusCode: number;

  /** Stable machine-readable code (UPPER_SNAKE); switch on this, not on the message. */
  @ApiProperty({ example: 'VALIDATION_FAILED' })
  code: string;

  @ApiProperty({ example: 'The request is invalid: email' })
  message: string;

  /** Also sent as the `x-request-id` response header; quote it when reporting a problem. */
  @ApiProperty({ example: '6f1c1f0e-4bd6-4c1c-9f6b-8f5d3c1f2a10' })
  requestId: string;

  @ApiPropertyOptional({ type: [FieldErrorResponse] })
  fields?: FieldErrorResponse[];

  /** Facts about the refusal a client can act on, by code (e.g. PAYOUT_EXCEEDS_OWED: `{ owedMinor }`); never submitted values. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { owedMinor: 4200 } })
  details?: Record<string, unknown>;
}
