import { Injectable } from '@nestjs/common';
import { RecordingsRepository } from './recordings.repository';

/** What the platform holds under a SHA-256, without saying whose it is. */
export interface RecordingProof {
  kind: 'recording';
  recordedAt: Date | null;
  durationSeconds: number | null;
  auditSeq: number | null;
}

/**
 * The video module's answer to "do you hold a file with this hash?" (GET /api/verify/{sha256}):
 * when it was recorded, how long it is and which audit entry chained it — never the session,
 * the participants or their names.
 */
@Injectable()
export class RecordingProofs {
  constructor(private readonly recordings: RecordingsRepository) {}

  async findBySha256(sha256: string): Promise<RecordingProof[]> {
    const found = await this.recordings.availableBySha256(sha256);
    return found.map((r) => ({ kind: 'recording', recordedAt: r.startedAt ?? r.availableAt, durationSeconds: r.durationSeconds, auditSeq: r.auditSeq }));
  }
}
