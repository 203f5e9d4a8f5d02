import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Role, TERMS_VERSION } from '@lm/domain';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_RULE } from '../password-policy';
import { IsLocaleTag, IsTimeZone } from './profile-validators';

export const SELF_REGISTRATION_ROLES = [Role.CLIENT, Role.LAWYER, Role.PARTNER] as const;
export type SelfRegistrationRole = (typeof SELF_REGISTRATION_ROLES)[number];

export class RegisterDto {
  @ApiProperty({ example: 'ana.lopez@example.com' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'orbit maple canyon fiddle', description: PASSWORD_RULE, minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: `password must have at least ${PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `password must have at most ${PASSWORD_MAX_LENGTH} characters` })
  password: string;

  @ApiProperty({ example: 'Ana López' })
  @IsString()
  @Matches(/\S/, { message: 'displayName must not be blank' })
  @MaxLength(100)
  displayName: string;

  /** ADMIN accounts are created only by another admin or the admin:create CLI. */
  @ApiProperty({ enum: SELF_REGISTRATION_ROLES, example: Role.CLIENT })
  @IsIn(SELF_REGISTRATION_ROLES, { message: `role must be one of ${SELF_REGISTRATION_ROLES.join(', ')}` })
  role: SelfRegistrationRole;

  @ApiPropertyOptional({ example: 'Europe/Madrid', default: 'UTC' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ example: 'es', default: 'en' })
  @IsOptional()
  @IsLocaleTag()
  locale?: string;

  /**
   * The version of the terms of service and privacy policy the person accepted (shown on /terms
   * and /privacy). Required: missing or not the current version → 400 TERMS_NOT_ACCEPTED.
   */
  @ApiProperty({ example: TERMS_VERSION, description: `Must be the current version, ${TERMS_VERSION}` })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  acceptedTermsVersion?: string;

  /** A partner's referral code from a `?ref=` link. */
  @ApiPropertyOptional({ example: 'ACME-LAW-2026' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{4,32}$/, { message: 'referralCode must be 4 to 32 letters, digits, - or _' })
  referralCode?: string;
}
