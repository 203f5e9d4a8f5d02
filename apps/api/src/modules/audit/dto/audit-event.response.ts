import { ApiProperty } from '@nestjs/swagger';
import type { ChainRow } from '../audit.repository';

/** One audit entry with its chain fields. */
export class AuditEventResponse {
  @ApiProperty({ example: 42 })
  seq: number;

  /** UTC with microseconds, exactly as hashed. */
  @ApiProperty({ example: '2025-11-26T09:15:02.123456Z' })
  occurredAt: string;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  actorId: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'ADMIN' })
  actorRole: string | null;

  @ApiProperty({ example: 'lawyer.verification.decided' })
  action: string;

  @ApiProperty({ example: 'user' })
  subjectType: string;

  @ApiProperty({ type: String, nullable: true })
  subjectId: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { decision: 'VERIFIED' } })
  payload: Record<string, unknown>;

  @ApiProperty({ type: String, nullable: true })
  requestId: string | null;

  @ApiProperty({ description: 'Hash of the previous entry (64 zeros for seq 1)' })
  prevHash: string;

  @ApiProperty({ description: 'SHA-256 (hex) of prevHash and the canonical entry' })
  hash: string;
}

export class AuditEventPageResponse {
  @ApiProperty({ type: [AuditEventResponse] })
  items: AuditEventResponse[];

  /** Entries matching the filters, across all pages. */
  @ApiProperty({ example: 1234 })
  total: number;

  /** Pass as `before` for the next (older) page; null on the last page. */
  @ApiProperty({ type: Number, nullable: true, example: 1185 })
  nextCursor: number | null;
}

export function toAuditEventResponse(row: ChainRow): AuditEventResponse {
  return {
    seq: row.seq,
    occurredAt: row.occurredAt,
    actorId: row.actorId,
    actorRole: row.actorRole,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    payload: row.payload,
    requestId: row.requestId,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
