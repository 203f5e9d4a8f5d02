import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { PRACTICE_AREAS, type PracticeArea } from '@lm/domain';

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

  /** Where the lawyer may practise. */
  @ApiProperty({ type: [String], example: ['ES', 'EU'], maxItems: 20 })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(/\S/, { each: true, message: 'each jurisdiction must not be blank' })
  @MaxLength(100, { each: true })
  jurisdictions: string[];

  @ApiProperty({ enum: PRACTICE_AREAS, isArray: true, example: ['family', 'immigration'] })
  @IsArray()
  @ArrayMaxSize(PRACTICE_AREAS.length)
  @IsIn(PRACTICE_AREAS, { each: true, message: `each practice area must be one of ${PRACTICE_AREAS.join(', ')}` })
  practiceAreas: PracticeArea[];

  /** ISO 639-1 language codes. */
  @ApiProperty({ type: [String], example: ['es', 'en'], maxItems: 20 })
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[A-Za-z]{2}$/, { each: true, message: 'each language must be a two-letter ISO 639-1 code' })
  languages: string[];

  @ApiProperty({ example: 'Family and immigration lawyer in Madrid for 12 years.', maxLength: 4000 })
  @IsString()
  @MaxLength(4000)
  bio: string;
}
