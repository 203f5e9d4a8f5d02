import { ApiProperty } from '@nestjs/swagger';
import { API_SCOPES, type ApiScope } from '@lm/domain';
import type { ApiKey } from '../api-key.entity';

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'CRM integration' })
  name: string;
  /** The public start of the key, to recognise it. */
  @ApiProperty({ example: 'lmk_3f9a1c2e' })
  prefix: string;
  createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt: Date | null;
  /** What the key may do (as chosen; only those the owner's current role allows take effect). */
  @ApiProperty({ enum: API_SCOPES, enumName: 'ApiScope', isArray: true })
  scopes: ApiScope[];
  /** When the key stops working; null = never. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt: Date | null;
  /** Requests per minute this key may make. */
  @ApiProperty({ example: 600 })
  rateLimitPerMinute: number;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  /** The key itself. Shown only in this response: store it now, it cannot be retrieved later. */
  @ApiProperty({ example: 'lmk_3f9a1c2e_Xq8…' })
  key: string;
}

export function toApiKeyResponse(k: ApiKey): ApiKeyResponse {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
    scopes: k.scopes,
    expiresAt: k.expiresAt,
    rateLimitPerMinute: k.rateLimitPerMinute,
  };
}
