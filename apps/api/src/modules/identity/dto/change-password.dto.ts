import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_RULE } from '../password-policy';

export class ChangePasswordDto {
  @ApiProperty({ example: 'orbit maple canyon fiddle' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  currentPassword: string;

  @ApiProperty({ example: 'lantern thistle ocean drum', description: PASSWORD_RULE })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: `newPassword must have at least ${PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `newPassword must have at most ${PASSWORD_MAX_LENGTH} characters` })
  newPassword: string;
}
