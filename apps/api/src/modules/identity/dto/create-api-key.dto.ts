import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { API_SCOPES, type ApiScope } from '@lm/domain';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class CreateApiKeyDto {
  /** What the key is for, to recognise it in the list. */
  @ApiProperty({ example: 'CRM integration' })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(100)
  name: string;

  /**
   * What the key may do: each scope must be one your role may hold (400 API_KEY_SCOPE_NOT_ALLOWED
   * otherwise). `admin` (ADMIN accounts only) is never implied: choose it explicitly.
   */
  @ApiProperty({ enum: API_SCOPES, enumName: 'ApiScope', isArray: true, example: ['sessions:read', 'reviews:read'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(API_SCOPES.length)
  @IsIn(API_SCOPES, { each: true })
  scopes: ApiScope[];

  /** When the key stops working (ISO 8601): in the future and at most two years away (400 API_KEY_EXPIRY_INVALID). None: no expiry. */
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2026-12-31T23:59:59Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;

  /** Requests per minute this key may make, 1–10000 (default 600); beyond it 429 RATE_LIMITED with Retry-After. */
  @ApiPropertyOptional({ minimum: 1, maximum: 10000, example: 600 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  rateLimitPerMinute?: number;
}
