import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class CreateCheckoutSessionDto {
  /** The offering to buy (an active offering of a verified lawyer). */
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  offeringId: string;
}
