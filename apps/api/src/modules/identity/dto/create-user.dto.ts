import { ApiProperty, OmitType } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Role, ROLES } from '@lm/domain';
import { RegisterDto } from './register.dto';

/** An admin creates an account of any role, including another ADMIN. */
export class CreateUserDto extends OmitType(RegisterDto, ['role', 'referralCode', 'acceptedTermsVersion'] as const) {
  @ApiProperty({ enum: ROLES, example: Role.ADMIN })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role: Role;
}
