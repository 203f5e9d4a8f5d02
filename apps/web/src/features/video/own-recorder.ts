import { authedFetch } from './authed-fetch';
import { RecordingUploader, type UploadProgress } from './recording-uploader';

/** Where the open upload's id is kept, so a reloaded page can save what was uploaded. */
const leftoverKey = (sessionId: string) => `lm.recording-upload.${sessionId}`;

/**
 * Completes the upload a previous page of this session left open (reload, crash): the chunks
 * the server received become a recording. Best effort; nothing happens without a saved id.
 */
export async function completeLeftoverUpload(sessionId: string): Promise<void> {
  const uploadId = sessionStorage.getItem(leftoverKey(sessionId));
  if (!uploadId) return;
  try {
    await RecordingUploader.completeLeftover(authedFetch, sessionId, uploadId);
  } catch {
    // Refused (e.g. consent withdrawn meanwhile): the server keeps nothing half-written.
  } finally {
    // Only if it is still that upload's id (a new recording of this page may have started meanwhile).
    if (sessionStorage.getItem(leftoverKey(sessionId)) === uploadId) sessionStorage.removeItem(leftoverKey(sessionId));
  }
}

/** How often MediaRecorder hands over data; the uploader gathers it into chunks of ~2 MiB. */
const TIMESLICE_MS = 1000;

function pickMimeType(stream: MediaStream): string {
  const video = stream.getVideoTracks().length > 0;
  const candidates = video
    ? ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm']
    : ['audio/webm;codecs=opus', 'audio/webm'];
  return candidates.find((type) => MediaRecorder.isTypeSupported(type)) ?? '';
}

/**
 * Peer-to-peer mode: this browser records its OWN outgoing audio and video (MediaRecorder,
 * WebM) while recording is on, and uploads it as it goes. The other participant's browser does
 * the same with theirs, so each recording is made by the person it shows.
 */
export class OwnStreamRecorder {
  private recorder: MediaRecorder | null = null;
  private uploader: RecordingUploader | null = null;
  private stopped: Promise<void> | null = null;

  constructor(
    private readonly sessionId: string,
    private readonly stream: MediaStream,
    private readonly onProgress: (progress: UploadProgress) => void,
  ) {}

  get running(): boolean {
    return this.recorder !== null;
  }

  async start(): Promise<void> {
    if (this.recorder) return;
    const mimeType = pickMimeType(this.stream);
    const contentType = (mimeType || 'video/webm').split(';')[0]!;
    const uploader = await RecordingUploader.start({
      sessionId: this.sessionId,
      contentType,
      startedAt: new Date(),
      fetch: authedFetch,
      onProgress: this.onProgress,
    });
    const recorder = new MediaRecorder(this.stream, mimeType ? { mimeType } : undefined);
    sessionStorage.setItem(leftoverKey(this.sessionId), uploader.uploadId);
    this.uploader = uploader;
    this.recorder = recorder;
    recorder.ondataavailable = (event) => uploader.push(event.data);
    this.stopped = new Promise((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }));
    recorder.start(TIMESLICE_MS);
    this.onProgress(uploader.progress);
  }

  /** Stops recording and waits until the upload is complete (the server then hashes the file). */
  async stop(): Promise<void> {
    const recorder = this.recorder;
    const uploader = this.uploader;
    if (!recorder || !uploader) return;
    this.recorder = null;
    this.uploader = null;
    if (recorder.state !== 'inactive') recorder.stop();
    await this.stopped;
    const endedAt = new Date();
    // An interrupted upload gets a few more chances before the call screen goes away.
    for (let attempt = 0; ; attempt++) {
      try {
        if (attempt > 0) await uploader.resume();
        await uploader.finish(endedAt);
        sessionStorage.removeItem(leftoverKey(this.sessionId));
        return;
      } catch (error) {
        if (uploader.progress.state !== 'interrupted' || attempt >= 3) throw error;
        await new Promise((resolve) => setTimeout(resolve, 2000 * (attempt + 1)));
      }
    }
  }
}
