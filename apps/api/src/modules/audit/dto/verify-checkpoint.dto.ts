import { ApiProperty } from '@nestjs/swagger';
import { IsBase64, IsInt, IsISO8601, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { InstantWithinCalendar } from '../../../common/validation/instant-range';

/** An exported checkpoint, exactly as GET /api/audit/checkpoints/latest returned it. */
export class VerifyCheckpointDto {
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  @ApiProperty({ example: 42 })
  headSeq: number;

  @Matches(/^[0-9a-f]{64}$/, { message: 'headHash must be 64 lowercase hex characters' })
  @ApiProperty({ example: '5d41402abc4b2a76b9719d911017c592aa2bd5fd4b1e5d2a3c8f2b7e9a0c1d3e' })
  headHash: string;

  @IsISO8601({ strict: true })
  @InstantWithinCalendar()
  @ApiProperty({ example: '2025-11-26T09:15:00.000Z' })
  signedAt: string;

  @IsString()
  @MaxLength(64)
  @ApiProperty({ example: '3b1f0c9d2a7e5f44' })
  keyId: string;

  @IsBase64()
  @MaxLength(200)
  @ApiProperty({ description: 'Base64 Ed25519 signature' })
  signature: string;
}
