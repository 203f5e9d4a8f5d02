import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the provider behind the proxy behaves: `up` forwards every request; `down` is not
 * listening (connection refused); `slow` accepts the request and never answers (the caller's
 * timeout decides); `5xx` answers 503 with the provider's error body.
 */
export type ProviderMode = 'up' | 'down' | 'slow' | '5xx';

/**
 * An HTTP proxy in front of a provider's local fake (Stripe's, Twilio's), so the app's real SDK
 * meets a provider that is down, slow or failing, and then recovers, on the same address. It
 * counts the requests that reached it while not `up` (a job's failed attempts).
 */
export class FaultyProxy {
  private server?: Server;
  private port = 0;
  private mode: ProviderMode = 'up';
  private readonly held = new Set<ServerResponse>();
  /** Requests answered with a failure or held (not forwarded) since the start. */
  refused = 0;

  constructor(
    private readonly target: string,
    private readonly errorBody: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await this.listen();
    return this;
  }

  async set(mode: ProviderMode): Promise<void> {
    if (mode === this.mode) return;
    const wasDown = this.mode === 'down';
    this.mode = mode;
    for (const res of this.held) res.destroy();
    this.held.clear();
    if (mode === 'down') await this.unlisten();
    else if (wasDown) await this.listen();
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    await this.unlisten();
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res));
    // The same port every time: the app keeps the address it was configured with.
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  private async unlisten(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.mode === 'slow') {
      this.refused++;
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      req.resume();
      return;
    }
    if (this.mode === '5xx') {
      this.refused++;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' }).end(this.errorBody);
      return;
    }
    const target = new URL(req.url ?? '/', this.target);
    const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }
}
