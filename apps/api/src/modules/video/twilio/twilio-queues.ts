/** pg-boss queue of the Twilio provider: copy a finished composition into our blob store, then delete Twilio's copies. */
export const COMPOSITION_INGEST_QUEUE = 'video.composition-ingest';

/** Attempts before the recording is marked failed (pg-boss waits 10 s, 20 s, 40 s … in between). */
export const INGEST_ATTEMPTS = 6;

/** Retry policy of an ingest job (per job, so a job enqueued in a callback's transaction carries it). */
export const INGEST_JOB_OPTIONS = { retryLimit: INGEST_ATTEMPTS - 1, retryDelay: 10, retryBackoff: true, expireInSeconds: 3600 } as const;

export interface CompositionIngestJob {
  compositionSid: string;
  providerRoomSid: string;
  durationSeconds: number | null;
}
