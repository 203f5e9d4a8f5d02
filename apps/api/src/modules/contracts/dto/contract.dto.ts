import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import { IsOmittable } from '../../../common/validation/omittable';
import { MaxChars } from '../../../common/validation/max-chars';
import { CONTRACT_STATUSES, type ContractStatus } from '../contract-rules';
import type { ContractListView } from '../contracts.service';
import { MAX_STROKES, MAX_TYPED_NAME } from '../signature-rules';
import { MAX_VALUE_CHARS } from '../template-engine';
import { IsVariableValues } from './variable-values.validator';

export const MAX_CONTRACT_TITLE = 200;
export const MAX_CLOSE_REASON = 1000;
export const CONTRACT_LIST_VIEWS = ['to_sign', 'in_progress', 'executed'] as const satisfies readonly ContractListView[];
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value);

const VALUES_SCHEMA = {
  type: 'object',
  additionalProperties: { type: 'string', maxLength: MAX_VALUE_CHARS },
  example: { client_name: 'Zofia Wójcik', fee: '250.00 PLN', scope: 'Tenancy dispute' },
} as const;

export class PrefillQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'sessionId must be a UUID' })
  sessionId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'templateId must be a UUID' })
  templateId: string;
}

export class CreateContractDto {
  /** A paid session of the calling lawyer. */
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'sessionId must be a UUID' })
  sessionId: string;

  /** A platform template or the lawyer's own (its current version is used, and kept). */
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'templateId must be a UUID' })
  templateId: string;

  /** Defaults to the template's name. */
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_CONTRACT_TITLE, example: 'Engagement letter — tenancy dispute' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Matches(/\S/, { message: 'title must not be blank' })
  @MaxChars(MAX_CONTRACT_TITLE)
  title?: string;

  /** A value for every variable the template uses (see GET /contracts/prefill). */
  @ApiProperty(VALUES_SCHEMA)
  @IsObject()
  @IsVariableValues()
  values: Record<string, string>;
}

export class SaveDraftDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_CONTRACT_TITLE, example: 'Engagement letter — tenancy dispute' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Matches(/\S/, { message: 'title must not be blank' })
  @MaxChars(MAX_CONTRACT_TITLE)
  title?: string;

  /** All the values (they replace the previous version's). */
  @ApiProperty(VALUES_SCHEMA)
  @IsObject()
  @IsVariableValues()
  values: Record<string, string>;
}

export class CloseContractDto {
  /** Why; shown to both parties and kept in the audit trail. */
  @ApiProperty({ minLength: 1, maxLength: MAX_CLOSE_REASON, example: 'The client chose another lawyer' })
  @Transform(trim)
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxChars(MAX_CLOSE_REASON)
  reason: string;
}

export class ViewedDto {
  /** SHA-256 of the version PDF the party opened (the current version's `sha256`). */
  @ApiProperty({ pattern: SHA256_HEX.source, example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
  @IsString()
  @Matches(SHA256_HEX, { message: 'versionSha256 must be a SHA-256 in hex (64 digits)' })
  versionSha256: string;
}

export class SignatureDrawingDto {
  /** Width of the pad the strokes were drawn on. */
  @ApiProperty({ minimum: 1, maximum: 4000, example: 400 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  width: number;

  @ApiProperty({ minimum: 1, maximum: 4000, example: 150 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  height: number;

  /** Strokes of [x, y] points, 0..width and 0..height (y grows downwards); at most 3000 points in all. */
  @ApiProperty({
    type: 'array',
    maxItems: MAX_STROKES,
    items: { type: 'array', items: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } },
    example: [
      [
        [10, 100],
        [60, 40],
        [120, 110],
      ],
    ],
  })
  @IsArray()
  @ArrayMaxSize(MAX_STROKES)
  strokes: [number, number][][];
}

export class SignContractDto extends ViewedDto {
  /** Explicit consent to sign electronically; anything but true is 400 CONTRACT_CONSENT_REQUIRED. */
  @ApiProperty({ example: true })
  @IsBoolean()
  consent: boolean;

  /** The signer's full name, typed. */
  @ApiProperty({ minLength: 1, maxLength: MAX_TYPED_NAME, example: 'Zofia Wójcik' })
  @IsString()
  @MaxChars(MAX_TYPED_NAME)
  typedName: string;

  /** A drawn signature (optional). */
  @ApiPropertyOptional({ type: SignatureDrawingDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SignatureDrawingDto)
  drawing?: SignatureDrawingDto | null;
}

export class ListContractsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CONTRACT_STATUSES })
  @IsOptional()
  @IsIn(CONTRACT_STATUSES, { message: `status must be one of ${CONTRACT_STATUSES.join(', ')}` })
  status?: ContractStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'sessionId must be a UUID' })
  sessionId?: string;

  /** to_sign: waiting for the caller's signature; in_progress: not final yet; executed. */
  @ApiPropertyOptional({ enum: CONTRACT_LIST_VIEWS })
  @IsOptional()
  @IsIn(CONTRACT_LIST_VIEWS, { message: `view must be one of ${CONTRACT_LIST_VIEWS.join(', ')}` })
  view?: ContractListView;
}
