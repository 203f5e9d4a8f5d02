import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { Offering } from '../offerings/offering';
import { IsCurrency } from './validators';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const MAX_TITLE_LENGTH = 120;
export const MAX_DESCRIPTION_LENGTH = 2000;
export const MIN_DURATION_MINUTES = 15;
export const MAX_DURATION_MINUTES = 240;
/** Upper bound of a price in minor units (the offerings table's CHECK). */
export const MAX_PRICE_MINOR = 100_000_000;

export class CreateOfferingDto {
  @ApiProperty({ example: 'Initial consultation', maxLength: MAX_TITLE_LENGTH })
  @Transform(trim)
  @IsString()
  @Matches(/\S/, { message: 'title must not be blank' })
  @MaxLength(MAX_TITLE_LENGTH, { message: `title must be at most ${MAX_TITLE_LENGTH} characters` })
  title: string;

  @ApiPropertyOptional({ example: 'A first look at your case, with written next steps.', maxLength: MAX_DESCRIPTION_LENGTH, description: 'Empty when omitted on create' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(MAX_DESCRIPTION_LENGTH, { message: `description must be at most ${MAX_DESCRIPTION_LENGTH} characters` })
  description?: string;

  @ApiProperty({ minimum: MIN_DURATION_MINUTES, maximum: MAX_DURATION_MINUTES, example: 60 })
  @IsInt({ message: 'durationMinutes must be a whole number of minutes' })
  @Min(MIN_DURATION_MINUTES, { message: `durationMinutes must be between ${MIN_DURATION_MINUTES} and ${MAX_DURATION_MINUTES} minutes` })
  @Max(MAX_DURATION_MINUTES, { message: `durationMinutes must be between ${MIN_DURATION_MINUTES} and ${MAX_DURATION_MINUTES} minutes` })
  durationMinutes: number;

  /** Integer minor units of `currency` (cents for USD, yen for JPY). */
  @ApiProperty({ minimum: 1, maximum: MAX_PRICE_MINOR, example: 9000 })
  @IsInt({ message: 'priceMinor must be a whole number of minor units (cents)' })
  @Min(1, { message: `priceMinor must be between 1 and ${MAX_PRICE_MINOR} (minor units of the currency)` })
  @Max(MAX_PRICE_MINOR, { message: `priceMinor must be between 1 and ${MAX_PRICE_MINOR} (minor units of the currency)` })
  priceMinor: number;

  @ApiProperty({ example: 'EUR', pattern: '^[A-Z]{3}$', description: 'ISO 4217 currency code' })
  @IsCurrency()
  currency: string;

  @ApiPropertyOptional({ description: 'true when omitted on create' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** Any subset of the fields. Sessions already sold keep the terms they were sold with. */
export class UpdateOfferingDto extends PartialType(CreateOfferingDto) {}

/** An offering as shown on a lawyer's public profile. */
export class PublicOfferingResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'Employment contract review (60 min)' })
  title: string;
  @ApiProperty({
    example: 'We go through your employment contract clause by clause and flag notice-period and non-compete risks.',
  })
  description: string;
  @ApiProperty({ example: 60 })
  durationMinutes: number;
  @ApiProperty({ example: 9000, description: 'Integer minor units of currency' })
  priceMinor: number;
  @ApiProperty({ example: 'EUR' })
  currency: string;
}

/** An offering as its lawyer sees it: the public terms plus whether it is on sale. */
export class OfferingResponse extends PublicOfferingResponse {
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function toOfferingResponse(o: Offering): OfferingResponse {
  return {
    id: o.id,
    title: o.title,
    description: o.description,
    durationMinutes: o.durationMinutes,
    priceMinor: o.priceMinor,
    currency: o.currency,
    active: o.active,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

export function toPublicOfferingResponse(o: Offering): PublicOfferingResponse {
  return {
    id: o.id,
    title: o.title,
    description: o.description,
    durationMinutes: o.durationMinutes,
    priceMinor: o.priceMinor,
    currency: o.currency,
  };
}
