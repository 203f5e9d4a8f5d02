import { ApiProperty } from '@nestjs/swagger';

/**
 * A signed checkpoint in its export form: keep it anywhere and POST it unchanged to
 * /api/audit/checkpoints/verify later. The signature is Ed25519 over the UTF-8 canonical JSON
 * (RFC 8785) of `{ type: "lexmarket.audit.checkpoint.v1", headSeq, headHash, signedAt, keyId }`.
 */
export class AuditCheckpointResponse {
  @ApiProperty({ example: 42 })
  headSeq: number;

  @ApiProperty({ description: 'Hash of entry headSeq (64 zeros when headSeq is 0)' })
  headHash: string;

  @ApiProperty({ example: '2025-11-26T09:15:00.000Z' })
  signedAt: string;

  @ApiProperty({ example: '3b1f0c9d2a7e5f44' })
  keyId: string;

  @ApiProperty({ description: 'Base64 Ed25519 signature' })
  signature: string;
}

export class AuditPublicKeyResponse {
  @ApiProperty({ example: '3b1f0c9d2a7e5f44', description: 'First 16 hex characters of SHA-256 over the SPKI DER' })
  keyId: string;

  @ApiProperty({ enum: ['Ed25519'] })
  algorithm: 'Ed25519';

  @ApiProperty({ example: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA…\n-----END PUBLIC KEY-----\n' })
  publicKeyPem: string;
}
