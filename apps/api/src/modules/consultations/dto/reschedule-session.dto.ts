import { IsInstant } from '../../../common/validation/is-instant';

export class RescheduleSessionDto {
  /** The new start: one of the lawyer's free slots (the session's own current time does not count as busy). */
  @IsInstant()
  startAt: string;
}
