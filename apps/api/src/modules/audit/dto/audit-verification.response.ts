import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AUDIT_BREAK_REASONS, type AuditBreakReason } from '../audit.service';

/** Result of recomputing the whole chain. */
export class AuditVerificationResponse {
  @ApiProperty({ example: true })
  ok: boolean;

  /** Entries that verified (all of them when ok). */
  @ApiProperty({ example: 1234 })
  checked: number;

  /** Highest stored seq (0 for an empty chain). */
  @ApiProperty({ example: 1234 })
  headSeq: number;

  /** Hash of the head entry (64 zeros for an empty chain). */
  @ApiProperty()
  headHash: string;

  /** The first entry that does not verify (or the first missing seq). */
  @ApiPropertyOptional({ example: 17 })
  firstBrokenSeq?: number;

  @ApiPropertyOptional({ enum: AUDIT_BREAK_REASONS, enumName: 'AuditBreakReason' })
  reason?: AuditBreakReason;
}

/** Result of re-verifying an exported checkpoint against today's chain. */
export class CheckpointVerificationResponse {
  /** Signature valid, chain intact up to headSeq and still holding headHash there. */
  @ApiProperty({ example: true })
  ok: boolean;

  @ApiProperty({ example: true })
  signatureValid: boolean;

  /** Entries verified up to the checkpoint's seq. */
  @ApiProperty({ example: 42 })
  checked: number;

  /** Today's head seq. */
  @ApiProperty({ example: 57 })
  headSeq: number;

  @ApiPropertyOptional({ example: 40 })
  firstBrokenSeq?: number;

  @ApiPropertyOptional({ enum: AUDIT_BREAK_REASONS, enumName: 'AuditBreakReason' })
  reason?: AuditBreakReason;
}
