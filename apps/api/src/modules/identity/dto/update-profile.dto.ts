import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { IsOmittable } from '../../../common/validation/omittable';
import { IsLocaleTag, IsTimeZone } from './profile-validators';

export class UpdateProfileDto {
  @ApiPropertyOptional({ example: 'Ana López' })
  @IsOmittable()
  @IsString()
  @Matches(/\S/, { message: 'displayName must not be blank' })
  @MaxLength(100)
  displayName?: string;

  @ApiPropertyOptional({ example: 'America/New_York' })
  @IsOmittable()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ example: 'pt-BR' })
  @IsOmittable()
  @IsLocaleTag()
  locale?: string;
}
