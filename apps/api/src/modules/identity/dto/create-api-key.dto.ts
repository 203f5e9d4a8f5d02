import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

export class CreateApiKeyDto {
  /** What the key is for, to recognise it in the list. */
  @ApiProperty({ example: 'CRM integration' })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(100)
  name: string;
}
