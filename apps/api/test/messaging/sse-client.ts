import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SseEvent {
  event: string;
  data: unknown;
}

/** An open GET /api/messaging/events as a browser's fetch reads it: events parsed as they arrive. */
export interface SseConnection {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: SseEvent[];
  /** Comment lines (`: ping`, `: connected`). */
  comments: string[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** The first event matching `match` (already received or next), or a rejection after `ms`. */
  next(match: (e: SseEvent) => boolean, ms?: number): Promise<SseEvent>;
  close(): void;
}

/** Opens the stream with `token`; resolves once the response headers arrived (for an error, with its JSON body in `events`). */
export function openEvents(server: http.Server, token: string): Promise<SseConnection> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.get({
      host: '127.0.0.1',
      port,
      path: '/api/messaging/events',
      agent: false,
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const waiters: { match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      let endResolve!: () => void;
      const ended = new Promise<void>((r) => (endResolve = r));
      res.on('end', endResolve);
      res.on('close', endResolve);
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length === 0) continue;
          const e = { event, data: JSON.parse(data.join('\n')) as unknown };
          events.push(e);
          for (const w of [...waiters]) {
            if (w.match(e)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(e);
            }
          }
        }
      });
      const isStream = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
      if (!isStream) {
        // An error answer: its JSON body as the one "event".
        let text = '';
        res.on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            events: [{ event: 'error', data: JSON.parse(text) as unknown }],
            comments,
            ended,
            next: () => Promise.reject(new Error('not a stream')),
            close: () => req.destroy(),
          }),
        );
        return;
      }
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        comments,
        ended,
        next(match, ms = 5000) {
          const found = events.find(match);
          if (found) return Promise.resolve(found);
          return new Promise((resolveEvent, rejectEvent) => {
            const timer = setTimeout(
              () => rejectEvent(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(events)}`)),
              ms,
            );
            waiters.push({
              match,
              resolve: (e) => {
                clearTimeout(timer);
                resolveEvent(e);
              },
            });
          });
        },
        close: () => req.destroy(),
      });
    });
  });
}
