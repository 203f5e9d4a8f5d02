import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiError, serve } from '../../test/fake-api';
import { renderPage } from '../../test/render';
import { VideoPanel } from './video-panel';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

const room = (over: Record<string, unknown> = {}) => ({
  sessionId: 's1',
  provider: 'p2p',
  status: 'SCHEDULED',
  opensAt: '2030-03-04T14:50:00.000Z',
  closesAt: '2030-03-04T15:45:00.000Z',
  joinable: true,
  refusal: null,
  endToEndEncrypted: true,
  recording: { clientConsented: false, lawyerConsented: false, active: false },
  myRole: 'CLIENT',
  ...over,
});

function fakeMedia(getUserMedia: () => Promise<MediaStream>) {
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: { getUserMedia: vi.fn(getUserMedia), enumerateDevices: vi.fn(() => Promise.resolve([])) },
  });
}

afterEach(() => {
  Reflect.deleteProperty(navigator, 'mediaDevices');
});

describe('VideoPanel', () => {
  it('before the window: says when the call opens, in the viewer’s own time zone', async () => {
    serve({ 'GET /api/sessions/s1/video': () => Response.json(room({ joinable: false, refusal: 'VIDEO_JOIN_TOO_EARLY' })) });
    renderPage(<VideoPanel sessionId="s1" status="SCHEDULED" zone="Asia/Tokyo" locale="en" />);
    // 14:50 UTC is 23:50 in Tokyo.
    expect(await screen.findByText(/The call opens at .*11:50\s?PM/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Join the call' })).not.toBeInTheDocument();
  });

  it('camera blocked: explains how to allow it, and Join stays disabled', async () => {
    fakeMedia(() => Promise.reject(new DOMException('Permission denied', 'NotAllowedError')));
    serve({ 'GET /api/sessions/s1/video': () => Response.json(room()) });
    renderPage(<VideoPanel sessionId="s1" status="SCHEDULED" zone="UTC" locale="en" />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Camera and microphone are blocked');
    expect(screen.getByRole('button', { name: 'Join the call' })).toBeDisabled();
  });

  it('no camera: says so', async () => {
    fakeMedia(() => Promise.reject(new DOMException('Requested device not found', 'NotFoundError')));
    serve({ 'GET /api/sessions/s1/video': () => Response.json(room()) });
    renderPage(<VideoPanel sessionId="s1" status="SCHEDULED" zone="UTC" locale="en" />);
    expect(await screen.findByRole('alert')).toHaveTextContent('No camera or microphone found');
  });

  it('sends the consent as ticked, and shows the API’s refusal when the call has closed meanwhile', async () => {
    const track = { kind: 'video', stop: vi.fn(), getSettings: () => ({ deviceId: 'cam1' }) };
    fakeMedia(() =>
      Promise.resolve({ getTracks: () => [track], getVideoTracks: () => [track], getAudioTracks: () => [] } as unknown as MediaStream),
    );
    const bodies: unknown[] = [];
    serve({
      'GET /api/sessions/s1/video': () => Response.json(room()),
      'POST /api/sessions/s1/video/join': async (_url, request) => {
        bodies.push(await request.json());
        return apiError(409, 'VIDEO_JOIN_CLOSED', 'The call is closed');
      },
    });
    renderPage(<VideoPanel sessionId="s1" status="SCHEDULED" zone="UTC" locale="en" />);
    const join = await screen.findByRole('button', { name: 'Join the call' });
    await vi.waitFor(() => expect(join).toBeEnabled(), { timeout: 5000 });
    await userEvent.click(screen.getByRole('checkbox', { name: 'I agree that this call is recorded' }));
    await userEvent.click(join);
    expect(await screen.findByRole('alert')).toHaveTextContent('This session’s call is over');
    expect(bodies).toEqual([{ recordingConsent: true }]);
  });

  it('nothing before a time is booked', () => {
    serve({});
    const { container } = renderPage(<VideoPanel sessionId="s1" status="PAID" zone="UTC" locale="en" />);
    expect(container.querySelector('section')).toBeNull();
  });
});
