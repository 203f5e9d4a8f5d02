import { ApiError } from '@lm/api-client';
import type { Recording } from './video.queries';

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export type UploadState = 'uploading' | 'interrupted' | 'completing' | 'completed' | 'failed';

export interface UploadProgress {
  state: UploadState;
  /** Chunks the server has confirmed. */
  sentChunks: number;
  sentBytes: number;
  /** Bytes recorded but not confirmed yet (queued, in flight, or still being gathered). */
  pendingBytes: number;
}

export interface RecordingUploaderOptions {
  sessionId: string;
  contentType: string;
  startedAt: Date;
  /** `fetch` with the user's token (authedFetch in the app; a fake in tests). */
  fetch: FetchLike;
  /** Size of one chunk; never above the server's `chunkMaxBytes`. Default 2 MiB. */
  chunkBytes?: number;
  /** Tries per chunk before the upload counts as interrupted (resume() goes on). Default 6. */
  maxAttempts?: number;
  /** Waits between tries (tests pass an instant one). */
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (progress: UploadProgress) => void;
}

interface Chunk {
  index: number;
  bytes: Uint8Array;
  sha256: string;
}

interface UploadStatus {
  uploadId: string;
  status: string;
  chunks: { index: number; size: number; sha256: string }[];
}

const DEFAULT_CHUNK_BYTES = 2 * 1024 * 1024;
const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];

/** Hex SHA-256 of `bytes` (WebCrypto). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

function isRetryable(status: number): boolean {
  // 422: the bytes arrived damaged (hash mismatch), send them again; 408/429/5xx: transient.
  return status === 408 || status === 422 || status === 429 || status >= 500;
}

class UploadInterrupted extends Error {
  constructor(cause: unknown) {
    super('The recording upload was interrupted; it resumes from the last chunk the server has.', { cause });
  }
}

/**
 * Uploads one participant's recording while it is being made: MediaRecorder's small pieces
 * are gathered into chunks of ~2 MiB, each sent in order to
 * `PUT /api/sessions/:id/recordings/uploads/:uploadId/chunks/:index` with its SHA-256 in
 * `X-Chunk-Sha256`, retried with backoff. When a chunk keeps failing the upload is
 * `interrupted` (nothing is lost: chunks stay queued); `resume()` asks the server which chunks
 * it has (`GET …/uploads/:uploadId`) and goes on from there. `finish()` sends the rest and
 * completes the upload (`POST …/complete`), after which the server assembles and hashes the file.
 */
export class RecordingUploader {
  private readonly chunkBytes: number;
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private gathered: Blob[] = [];
  private gatheredBytes = 0;
  private readonly queue: Chunk[] = [];
  /** Turning blobs into hashed chunks, in order. */
  private cutting: Promise<void> = Promise.resolve();
  private pumping: Promise<void> | null = null;
  private nextIndex = 0;
  private sentChunks = 0;
  private sentBytes = 0;
  private queuedBytes = 0;
  private state: UploadState = 'uploading';
  private lastError: unknown = null;

  private constructor(
    private readonly o: RecordingUploaderOptions,
    readonly uploadId: string,
    chunkMaxBytes: number,
  ) {
    this.chunkBytes = Math.min(o.chunkBytes ?? DEFAULT_CHUNK_BYTES, chunkMaxBytes);
    this.maxAttempts = o.maxAttempts ?? 6;
    this.sleep = o.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Opens an upload (`POST …/recordings/uploads`); 409 RECORDING_CONSENT_MISSING unless both consented. */
  static async start(o: RecordingUploaderOptions): Promise<RecordingUploader> {
    const response = await o.fetch(`/api/sessions/${o.sessionId}/recordings/uploads`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ contentType: o.contentType, startedAt: o.startedAt.toISOString() }),
    });
    const body = (await response.json().catch(() => undefined)) as { uploadId: string; chunkMaxBytes: number } | undefined;
    if (!response.ok || !body) throw ApiError.fromResponse(body, response);
    return new RecordingUploader(o, body.uploadId, body.chunkMaxBytes);
  }

  /**
   * After a reload or a crash mid-recording: what the server received of an upload the last page
   * left open is kept, by completing it with the chunks it holds (0…n-1 without a gap). Null
   * when there is nothing to save (no chunks, already complete, or gone).
   */
  static async completeLeftover(fetch: FetchLike, sessionId: string, uploadId: string, endedAt: Date = new Date()): Promise<Recording | null> {
    const base = `/api/sessions/${sessionId}/recordings/uploads/${uploadId}`;
    const response = await fetch(base);
    if (!response.ok) return null;
    const status = (await response.json()) as UploadStatus;
    const have = new Set(status.chunks.map((c) => c.index));
    let count = 0;
    while (have.has(count)) count++;
    if (status.status !== 'uploading' || count === 0) return null;
    const done = await fetch(`${base}/complete`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ chunkCount: count, endedAt: endedAt.toISOString() }),
    });
    const body: unknown = await done.json().catch(() => undefined);
    if (!done.ok) throw ApiError.fromResponse(body, done);
    return body as Recording;
  }

  get progress(): UploadProgress {
    return {
      state: this.state,
      sentChunks: this.sentChunks,
      sentBytes: this.sentBytes,
      pendingBytes: this.queuedBytes + this.gatheredBytes,
    };
  }

  /** Adds recorded data; a full chunk is queued for upload at once. */
  push(data: Blob): void {
    if (data.size === 0 || this.state === 'completed' || this.state === 'completing') return;
    this.gathered.push(data);
    this.gatheredBytes += data.size;
    if (this.gatheredBytes >= this.chunkBytes) this.cut(false);
  }

  /** Sends everything recorded so far and completes the upload. */
  async finish(endedAt: Date = new Date()): Promise<Recording> {
    this.cut(true);
    await this.cutting;
    await this.drain();
    this.setState('completing');
    const response = await this.o.fetch(`${this.base}/complete`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ chunkCount: this.nextIndex, endedAt: endedAt.toISOString() }),
    });
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      this.setState('failed');
      throw ApiError.fromResponse(body, response);
    }
    this.setState('completed');
    return body as Recording;
  }

  /** After an interruption: asks the server what it has and sends the rest. */
  async resume(): Promise<void> {
    if (this.state !== 'interrupted') return this.drain();
    await this.dropReceived();
    this.setState('uploading');
    this.pump();
    return this.drain();
  }

  private get base(): string {
    return `/api/sessions/${this.o.sessionId}/recordings/uploads/${this.uploadId}`;
  }

  private setState(state: UploadState): void {
    this.state = state;
    this.o.onProgress?.(this.progress);
  }

  /** Moves gathered data into queued chunks (all of it when `all`). */
  private cut(all: boolean): void {
    const parts = this.gathered;
    const total = this.gatheredBytes;
    if (total === 0 || (!all && total < this.chunkBytes)) return;
    this.gathered = [];
    this.gatheredBytes = 0;
    const whole = new Blob(parts);
    const full = all ? total : total - (total % this.chunkBytes);
    if (full < total) {
      const rest = whole.slice(full);
      this.gathered = [rest];
      this.gatheredBytes = rest.size;
    }
    const pieces: Blob[] = [];
    for (let at = 0; at < full; at += this.chunkBytes) pieces.push(whole.slice(at, Math.min(at + this.chunkBytes, full)));
    this.queuedBytes += full;
    this.cutting = this.cutting.then(async () => {
      for (const piece of pieces) {
        const bytes = await bytesOf(piece);
        this.queue.push({ index: this.nextIndex++, bytes, sha256: await sha256Hex(bytes) });
      }
      if (this.state === 'uploading') this.pump();
    });
  }

  private pump(): void {
    this.pumping ??= (async () => {
      try {
        while (this.queue.length > 0) {
          const chunk = this.queue[0]!;
          await this.send(chunk);
          this.queue.shift();
          this.queuedBytes -= chunk.bytes.length;
          this.sentChunks++;
          this.sentBytes += chunk.bytes.length;
          this.o.onProgress?.(this.progress);
        }
      } catch (error) {
        this.lastError = error;
        this.setState(error instanceof UploadInterrupted ? 'interrupted' : 'failed');
      } finally {
        this.pumping = null;
      }
    })();
  }

  /** Waits until every queued chunk is sent; rejects if the upload is interrupted or failed. */
  private async drain(): Promise<void> {
    for (;;) {
      await this.cutting;
      if (this.state === 'uploading' && this.queue.length > 0) this.pump();
      if (this.pumping) await this.pumping;
      if (this.state === 'interrupted' || this.state === 'failed') throw this.lastError;
      if (this.queue.length === 0) return;
    }
  }

  private async send(chunk: Chunk): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1) {
        await this.sleep(BACKOFF_MS[Math.min(attempt - 2, BACKOFF_MS.length - 1)]!);
        // The last try may have arrived even though its answer did not.
        if (await this.serverHas(chunk)) return;
      }
      try {
        const response = await this.o.fetch(`${this.base}/chunks/${chunk.index}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/octet-stream', 'X-Chunk-Sha256': chunk.sha256 },
          body: chunk.bytes as Uint8Array<ArrayBuffer>,
        });
        if (response.ok) return;
        const body: unknown = await response.json().catch(() => undefined);
        lastError = ApiError.fromResponse(body, response);
        if (!isRetryable(response.status)) throw lastError;
      } catch (error) {
        if (error instanceof ApiError && error.status >= 400 && !isRetryable(error.status)) throw error;
        lastError = error;
      }
    }
    throw new UploadInterrupted(lastError);
  }

  private async status(): Promise<UploadStatus | null> {
    try {
      const response = await this.o.fetch(this.base);
      return response.ok ? ((await response.json()) as UploadStatus) : null;
    } catch {
      return null;
    }
  }

  private async serverHas(chunk: Chunk): Promise<boolean> {
    const status = await this.status();
    return Boolean(status?.chunks.some((c) => c.index === chunk.index && c.sha256 === chunk.sha256));
  }

  /** Drops queued chunks the server already holds (their answer was lost). */
  private async dropReceived(): Promise<void> {
    const status = await this.status();
    if (!status) return;
    const received = new Map(status.chunks.map((c) => [c.index, c.sha256]));
    while (this.queue.length > 0 && received.get(this.queue[0]!.index) === this.queue[0]!.sha256) {
      const chunk = this.queue.shift()!;
      this.queuedBytes -= chunk.bytes.length;
      this.sentChunks++;
      this.sentBytes += chunk.bytes.length;
    }
  }
}
