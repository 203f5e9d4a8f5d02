import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** The client's answer when declining the lawyer's proposed time. */
export class DeclineProposalDto {
  /** `keep`: the session stays at its booked time. `cancel`: cancel it with a full refund (the lawyer asked for the change). */
  @ApiProperty({ enum: ['keep', 'cancel'], example: 'keep' })
  @IsIn(['keep', 'cancel'])
  outcome: 'keep' | 'cancel';

  /** Why, in a few words (with `cancel`); shown in the session's timeline. */
  @ApiPropertyOptional({ example: 'The new time does not work for me', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
