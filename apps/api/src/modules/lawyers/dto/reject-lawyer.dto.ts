import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

export class RejectLawyerDto {
  /** Shown to the lawyer, who can fix the profile and resubmit by editing it. */
  @ApiProperty({ example: 'The bar number does not match the register of the Madrid bar.', maxLength: 1000 })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(1000)
  reason: string;
}
