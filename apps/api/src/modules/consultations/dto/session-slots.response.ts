import { ApiProperty, PickType } from '@nestjs/swagger';
import { SlotsResponse } from '../../marketplace';
import type { SessionSlots } from '../consultations.service';

/** Free times (UTC) for one session: its frozen duration, its own current time not counted as busy. */
export class SessionSlotsResponse extends PickType(SlotsResponse, ['durationMinutes', 'timeZone', 'from', 'to', 'slots'] as const) {
  @ApiProperty({ format: 'uuid' })
  sessionId: string;
  /** The session's current start when it is SCHEDULED (listed again if still free; moving there changes nothing). */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  currentStartAt: Date | null;
}

export function toSessionSlotsResponse(s: SessionSlots): SessionSlotsResponse {
  return { ...s, slots: s.slots.map((slot) => ({ startAt: slot.start, endAt: slot.end })) };
}
