import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { IsInstant } from '../../../common/validation/is-instant';

export class ScheduleSessionDto {
  /** The paid session to book a time for. */
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sessionId: string;

  /** Start of one of the session's free times (`GET /api/sessions/{id}/slots`). */
  @IsInstant()
  startAt: string;
}
