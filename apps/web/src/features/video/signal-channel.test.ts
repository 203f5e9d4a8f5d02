import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignalChannel, type SignalMessage } from './signal-channel';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

/** A response whose body arrives in the given pieces (split anywhere, as the network does). */
function streamed(pieces: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

afterEach(() => vi.unstubAllGlobals());

describe('SignalChannel', () => {
  it('parses signal events split across reads, skips the rest, and resumes after a drop with Last-Event-ID', async () => {
    const asked: (string | null)[] = [];
    const answers = [
      streamed([
        'event: ready\ndata: {"identity":"p_a","role":"CLIENT","peers":[]}\n\n',
        'id: 5\nevent: sig',
        'nal\ndata: {"id":5,"from":"p_b","type":"offer","data":{"sid":"x"}}\n\n: ping\n\n',
      ]),
      streamed(['id: 6\nevent: signal\ndata: {"id":6,"from":"server","type":"ended","data":{}}\n\n']),
    ];
    vi.stubGlobal(
      'fetch',
      vi.fn((_url: string, init: RequestInit) => {
        asked.push(new Headers(init.headers).get('Last-Event-ID'));
        const next = answers.shift();
        return next ? Promise.resolve(next) : new Promise<Response>(() => undefined);
      }),
    );
    const messages: SignalMessage[] = [];
    const opens: boolean[] = [];
    const channel = new SignalChannel({ sessionId: 's1', onMessage: (m) => messages.push(m), onOpen: (o) => opens.push(o), onFatal: vi.fn() });
    channel.start();
    await vi.waitFor(() => expect(messages).toHaveLength(2), { timeout: 5000 });
    channel.close();

    expect(messages.map((m) => m.type)).toEqual(['offer', 'ended']);
    expect(messages[0]).toEqual({ id: 5, from: 'p_b', type: 'offer', data: { sid: 'x' } });
    // The first stream starts fresh; the reconnect asks for what came after the last event seen.
    expect(asked.slice(0, 2)).toEqual([null, '5']);
    expect(opens.slice(0, 3)).toEqual([true, false, true]);
  });

  it('gives up on a refusal (the call is closed) instead of retrying forever', async () => {
    const fetch = vi.fn(() =>
      Promise.resolve(Response.json({ statusCode: 409, code: 'VIDEO_JOIN_CLOSED', message: 'closed', requestId: 'r' }, { status: 409 })),
    );
    vi.stubGlobal('fetch', fetch);
    const onFatal = vi.fn();
    const channel = new SignalChannel({ sessionId: 's1', onMessage: vi.fn(), onOpen: vi.fn(), onFatal });
    channel.start();
    await vi.waitFor(() => expect(onFatal).toHaveBeenCalledWith(expect.objectContaining({ code: 'VIDEO_JOIN_CLOSED' })));
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
