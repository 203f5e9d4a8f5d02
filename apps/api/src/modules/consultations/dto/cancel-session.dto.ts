import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class CancelSessionDto {
  /** Why, in a few words; shown to the other participant in the session's timeline. */
  @ApiPropertyOptional({ maxLength: 500, example: 'Something came up at work' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
