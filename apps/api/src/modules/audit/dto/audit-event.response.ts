import { ApiProperty } from '@nestjs/swagger';
import type { AuditSessionName, AuditUserName, ChainRow } from '../audit.repository';

export class AuditSubjectSessionResponse {
  @ApiProperty({ example: 'Divorce consultation' })
  title: string;
  @ApiProperty({ type: String, nullable: true })
  clientName: string | null;
  @ApiProperty({ type: String, nullable: true })
  lawyerName: string | null;
}

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

  /** The actor's display name today (null for the system, or an id that no longer exists). */
  @ApiProperty({ type: String, nullable: true, example: 'Ana López' })
  actorName: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'ana.lopez@example.com' })
  actorEmail: string | null;

  @ApiProperty({ example: 'lawyer.verification.decided' })
  action: string;

  @ApiProperty({ example: 'user' })
  subjectType: string;

  @ApiProperty({ example: '5b1f0e9c-2d4a-4c61-9a7e-0c3f1d2b8e47', type: String, nullable: true })
  subjectId: string | null;

  /** A name for the subject: the person's display name (user, lawyer) or the consultation's title (session); null otherwise. */
  @ApiProperty({ type: String, nullable: true, example: 'Ana López' })
  subjectName: string | null;

  /** For a session subject: its title and parties, to describe the entry ("Ana López paid for …"). */
  @ApiProperty({ type: AuditSubjectSessionResponse, nullable: true })
  subjectSession: AuditSubjectSessionResponse | null;

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

  /**
   * Pass as `before` for the next (older) page; null on the last page. A string like every
   * list's cursor (CursorPageMeta), though it holds the entry's seq.
   */
  @ApiProperty({ type: String, nullable: true, example: '1185' })
  nextCursor: string | null;
}

export function toAuditEventResponse(
  row: ChainRow,
  names: { users: Map<string, AuditUserName>; sessions: Map<string, AuditSessionName> } = { users: new Map(), sessions: new Map() },
): AuditEventResponse {
  const actor = row.actorId ? names.users.get(row.actorId) : undefined;
  const subjectUser = row.subjectId && (row.subjectType === 'user' || row.subjectType === 'lawyer') ? names.users.get(row.subjectId) : undefined;
  const subjectSession = row.subjectId && row.subjectType === 'session' ? names.sessions.get(row.subjectId) : undefined;
  return {
    seq: row.seq,
    occurredAt: row.occurredAt,
    actorId: row.actorId,
    actorRole: row.actorRole,
    actorName: actor?.name ?? null,
    actorEmail: actor?.email ?? null,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    subjectName: subjectUser?.name ?? subjectSession?.title ?? null,
    subjectSession: subjectSession ?? null,
    payload: row.payload,
    requestId: row.requestId,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
