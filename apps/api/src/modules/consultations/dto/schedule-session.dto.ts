import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { IsInstant } from './session-time';

export class ScheduleSessionDto {
  /** The paid session to book a time for. */
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sessionId: string;

  /** Start of one of the lawyer's free slots (`GET /api/lawyers/{id}/slots`). */
  @IsInstant()
  startAt: string;
}
