import { ApiProperty } from '@nestjs/swagger';
import type { Proof } from '../proof-sources';

export class VerifyMatchResponse {
  @ApiProperty({ enum: ['recording'] })
  kind: 'recording';
  /** When it was recorded. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  recordedAt: Date | null;
  @ApiProperty({ type: Number, nullable: true })
  durationSeconds: number | null;
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

export function toVerifyResponse(r: { sha256: string; matches: Proof[] }): VerifyResponse {
  return {
    sha256: r.sha256,
    found: r.matches.length > 0,
    matches: r.matches.map((m) => ({ kind: m.kind, recordedAt: m.recordedAt, durationSeconds: m.durationSeconds, auditSeq: m.auditSeq })),
  };
}
