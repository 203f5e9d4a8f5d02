/** Why there is no camera/microphone preview. */
export type MediaProblem = 'denied' | 'no-device' | 'in-use' | 'unsupported' | 'other';

export interface DeviceChoice {
  cameraId: string | null;
  microphoneId: string | null;
}

export function describeMediaProblem(problem: MediaProblem): { title: string; message: string } {
  switch (problem) {
    case 'denied':
      return {
        title: 'Camera and microphone are blocked',
        message:
          'Your browser did not allow this page to use the camera and microphone. Allow them in the address bar (the camera icon) or in your browser’s site settings, then try again.',
      };
    case 'no-device':
      return {
        title: 'No camera or microphone found',
        message: 'Connect a camera and a microphone (or a headset), then try again.',
      };
    case 'in-use':
      return {
        title: 'The camera or microphone is busy',
        message: 'Another application may be using it. Close it, then try again.',
      };
    case 'unsupported':
      return {
        title: 'Video calls are not supported here',
        message: 'This browser cannot make video calls. Use a recent version of Chrome, Edge, Firefox or Safari.',
      };
    case 'other':
      return { title: 'The camera could not start', message: 'Try again, or choose another device.' };
  }
}

export function mediaProblemOf(error: unknown): MediaProblem {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no-device';
  if (name === 'NotReadableError' || name === 'AbortError') return 'in-use';
  return 'other';
}

/** Camera and microphone, from the chosen devices (or the defaults). */
export async function openMedia(choice: DeviceChoice): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error('unsupported'), { name: 'Unsupported' });
  return navigator.mediaDevices.getUserMedia({
    video: choice.cameraId ? { deviceId: { exact: choice.cameraId } } : { width: { ideal: 1280 }, height: { ideal: 720 } },
    audio: choice.microphoneId ? { deviceId: { exact: choice.microphoneId } } : true,
  });
}

export function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop());
}
