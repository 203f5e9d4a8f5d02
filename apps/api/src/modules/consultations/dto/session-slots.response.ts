import { ApiProperty } from '@nestjs/swagger';
import { SlotResponse } from '../../marketplace';
import type { SessionSlots } from '../consultations.service';

/** Free times (UTC) for one session: its frozen duration, its own current time not counted as busy. */
export class SessionSlotsResponse {
  @ApiProperty({ format: 'uuid' })
  sessionId: string;
  durationMinutes: number;
  /** The session's current start when it is SCHEDULED (listed again if still free; moving there changes nothing). */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  currentStartAt: Date | null;
  /** The lawyer's zone (their rules are written in it); null when they have no availability. */
  @ApiProperty({ type: String, nullable: true, example: 'Europe/Berlin' })
  timeZone: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  from: Date;
  @ApiProperty({ type: String, format: 'date-time' })
  to: Date;
  @ApiProperty({ type: [SlotResponse] })
  slots: SlotResponse[];
}

export function toSessionSlotsResponse(s: SessionSlots): SessionSlotsResponse {
  return { ...s, slots: s.slots.map((slot) => ({ startAt: slot.start, endAt: slot.end })) };
}
