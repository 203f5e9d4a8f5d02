import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, Matches, MaxLength, ValidateBy, type ValidationOptions } from 'class-validator';
import { isJurisdictionCode, isLanguageCode, PRACTICE_AREAS, type PracticeArea } from '@lm/domain';

/**
 * A code on one of @lm/domain's lists. Not `@IsIn`: that would copy hundreds of codes into the
 * OpenAPI document as an enum (and the generated client's types); the description names the list.
 */
function IsListed(name: string, listed: (code: string) => boolean, options: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name, validator: { validate: (value: unknown) => typeof value === 'string' && listed(value) } }, options);
}

/** Codes are compared in their canonical case; anything else passes through to fail validation. */
const eachTrimmed = (toCase: (s: string) => string) => ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v: unknown) => (typeof v === 'string' ? toCase(v.trim()) : v)) : value;

/** The whole editable profile (PUT replaces it). Editing a REJECTED profile sends it back for verification. */
export class UpdateLawyerProfileDto {
  @ApiProperty({ example: 'ICAM-84213', maxLength: 64 })
  @IsString()
  @Matches(/\S/, { message: 'barNumber must not be blank' })
  @MaxLength(64)
  barNumber: string;

  /** The bar (or licensing authority) that issued the number. */
  @ApiProperty({ example: 'Madrid, Spain', maxLength: 100 })
  @IsString()
  @Matches(/\S/, { message: 'barJurisdiction must not be blank' })
  @MaxLength(100)
  barJurisdiction: string;

  /**
   * Where the lawyer may practise: ISO 3166-1 alpha-2 country codes, `EU`, or the listed
   * sub-jurisdictions (ISO 3166-2, e.g. `US-NY`); JURISDICTION_CODES of @lm/domain.
   */
  @ApiProperty({ type: [String], example: ['ES', 'EU'], maxItems: 20 })
  @Transform(eachTrimmed((s) => s.toUpperCase()))
  @IsArray()
  @ArrayMaxSize(20)
  @IsListed('isJurisdictionCode', isJurisdictionCode, {
    each: true,
    message: 'each jurisdiction must be a listed code: an ISO 3166-1 country (ES), EU, or a sub-jurisdiction (US-NY)',
  })
  jurisdictions: string[];

  @ApiProperty({ enum: PRACTICE_AREAS, isArray: true, example: ['family', 'immigration'] })
  @IsArray()
  @ArrayMaxSize(PRACTICE_AREAS.length)
  @IsIn(PRACTICE_AREAS, { each: true, message: `each practice area must be one of ${PRACTICE_AREAS.join(', ')}` })
  practiceAreas: PracticeArea[];

  /** ISO 639-1 language codes (LANGUAGE_CODES of @lm/domain). */
  @ApiProperty({ type: [String], example: ['es', 'en'], maxItems: 20 })
  @Transform(eachTrimmed((s) => s.toLowerCase()))
  @IsArray()
  @ArrayMaxSize(20)
  @IsListed('isLanguageCode', isLanguageCode, { each: true, message: 'each language must be an ISO 639-1 code (es, en, …)' })
  languages: string[];

  @ApiProperty({ example: 'Family and immigration lawyer in Madrid for 12 years.', maxLength: 4000 })
  @IsString()
  @MaxLength(4000)
  bio: string;
}
