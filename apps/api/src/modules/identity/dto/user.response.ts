import { PagedResponse } from '../../../common/http/paged.response';
import { ApiProperty } from '@nestjs/swagger';
import { Role, ROLES } from '@lm/domain';
import { USER_STATUSES, type User, type UserStatus } from '../user.entity';

export class UserResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'ana.lopez@example.com' })
  email: string;
  @ApiProperty({ enum: ROLES, example: Role.CLIENT })
  role: Role;
  @ApiProperty({ enum: USER_STATUSES, example: 'ACTIVE' })
  status: UserStatus;
  @ApiProperty({ example: 'Ana López' })
  displayName: string;
  @ApiProperty({ example: 'Europe/Madrid' })
  timeZone: string;
  @ApiProperty({ example: 'es' })
  locale: string;
  /** True once the owner opened a verification (or password reset) link. Sign-in does not require it. */
  @ApiProperty({ example: true })
  emailVerified: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  emailVerifiedAt: Date | null;
  /** The terms-of-service and privacy-policy version accepted at sign-up; null for accounts created by an admin or before consent was recorded. */
  @ApiProperty({ type: String, nullable: true, example: '2026-11-30' })
  termsVersion: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  termsAcceptedAt: Date | null;
  createdAt: Date;
}

export class UserPageResponse extends PagedResponse(UserResponse) {}

/** The public view of an account: never the password hash or payment ids. */
export function toUserResponse(u: User): UserResponse {
  return {
    id: u.id,
    email: u.email,
    role: u.role,
    status: u.status,
    displayName: u.displayName,
    timeZone: u.timeZone,
    locale: u.locale,
    emailVerified: u.emailVerifiedAt !== null,
    emailVerifiedAt: u.emailVerifiedAt,
    termsVersion: u.termsVersion,
    termsAcceptedAt: u.termsAcceptedAt,
    createdAt: u.createdAt,
  };
}
