import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Proof } from '../proof-sources';

export const PROOF_KINDS = ['recording', 'contract'] as const;

/**
 * One match, by kind: a `recording` (recordedAt, durationSeconds) or an executed `contract`
 * (executedAt, parties). Never who took part, never any content.
 */
export class VerifyMatchResponse {
  @ApiProperty({ enum: PROOF_KINDS })
  kind: (typeof PROOF_KINDS)[number];
  /** A recording: when it was recorded. */
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  recordedAt?: Date | null;
  /** A recording: its length. */
  @ApiPropertyOptional({ type: Number, nullable: true })
  durationSeconds?: number | null;
  /** A contract: when the last party signed and it was sealed. */
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  executedAt?: Date;
  /** A contract: how many parties signed it. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1 })
  parties?: number;
  /** Seq of the audit entry that chained this hash (check it against a signed audit checkpoint). */
  @ApiProperty({ type: Number, nullable: true })
  auditSeq: number | null;
}

export class VerifyResponse {
  /** The hash asked about, in lower case. */
  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
  sha256: string;
  /** Whether the platform holds a file with exactly these bytes. */
  found: boolean;
  @ApiProperty({ type: [VerifyMatchResponse] })
  matches: VerifyMatchResponse[];
}

function toMatch(m: Proof): VerifyMatchResponse {
  switch (m.kind) {
    case 'recording':
      return { kind: m.kind, recordedAt: m.recordedAt, durationSeconds: m.durationSeconds, auditSeq: m.auditSeq };
    case 'contract':
      return { kind: m.kind, executedAt: m.executedAt, parties: m.parties, auditSeq: m.auditSeq };
  }
}

export function toVerifyResponse(r: { sha256: string; matches: Proof[] }): VerifyResponse {
  return { sha256: r.sha256, found: r.matches.length > 0, matches: r.matches.map(toMatch) };
}
