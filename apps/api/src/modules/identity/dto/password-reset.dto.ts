import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_RULE } from '../password-policy';

export class RequestPasswordResetDto {
  @ApiProperty({ example: 'ana.lopez@example.com' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;
}

export class ConfirmPasswordResetDto {
  @ApiProperty({ description: 'The token from the emailed link (`/reset-password?token=…`).', example: 'q3Jc1bS2qvXw0m7mQ6mY0w8tKx3JzvWm1o0dEw5Hs1k' })
  @IsString()
  @MaxLength(256)
  token: string;

  @ApiProperty({ example: 'lantern thistle ocean drum', description: PASSWORD_RULE })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: `newPassword must have at least ${PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `newPassword must have at most ${PASSWORD_MAX_LENGTH} characters` })
  newPassword: string;
}

export class VerifyEmailDto {
  @ApiProperty({ description: 'The token from the emailed link (`/verify-email?token=…`).', example: 'q3Jc1bS2qvXw0m7mQ6mY0w8tKx3JzvWm1o0dEw5Hs1k' })
  @IsString()
  @MaxLength(256)
  token: string;
}

export class MessageResponse {
  @ApiProperty({ example: 'If an account exists for this address, a link to reset its password has been sent.' })
  message: string;
}
