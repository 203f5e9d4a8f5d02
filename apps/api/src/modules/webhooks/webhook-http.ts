import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { bareHost, type ResolvedAddress } from './ssrf-guard';

/** Bytes of a receiver's response read at most (the rest is not read). */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** Bytes of that response kept in the delivery log. */
export const RESPONSE_EXCERPT_BYTES = 4 * 1024;

export interface PostOutcome {
  /** The HTTP status, or null when no response arrived. */
  statusCode: number | null;
  /** Why the attempt failed without a status (timeout, refused…), or null. */
  error: string | null;
  /** Wall time of the attempt, in milliseconds. */
  durationMs: number;
  /** The first 4 KiB of the response body (UTF-8, NULs removed), or null. */
  responseExcerpt: string | null;
}

export interface PostRequest {
  url: URL;
  /** The address the guard checked: the connection goes there, whatever DNS says now. */
  address: ResolvedAddress;
  headers: Record<string, string>;
  body: string;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
}

/**
 * POSTs one delivery with node:http(s), connecting to the pre-checked address (a `lookup` that
 * answers it, so TLS still checks the certificate against the URL's host name); a fresh
 * connection each time (no agent: a pooled socket could lead elsewhere). Connect and total
 * timeouts, and at most 64 KiB of the response read. Never throws.
 */
export function postPinned(req: PostRequest): Promise<PostOutcome> {
  const secure = req.url.protocol === 'https:';
  const started = performance.now();
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: req.address.address, family: req.address.family },
      ]);
    else callback(null, req.address.address, req.address.family);
  };
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const chunks: Buffer[] = [];
    let read = 0;
    let statusCode: number | null = null;
    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      request.destroy();
      const excerpt =
        statusCode === null
          ? null
          : Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8').replaceAll('\u0000', '');
      resolve({ statusCode, error, durationMs: Math.round(performance.now() - started), responseExcerpt: excerpt });
    };
    const request = (secure ? https : http).request({
      protocol: req.url.protocol,
      hostname: bareHost(req.url),
      port: req.url.port || undefined,
      path: `${req.url.pathname}${req.url.search}`,
      method: 'POST',
      headers: { ...req.headers, 'Content-Length': String(Buffer.byteLength(req.body)), Connection: 'close' },
      lookup,
      agent: false,
    });
    const connectTimer = setTimeout(() => finish('connect timeout'), req.connectTimeoutMs);
    const totalTimer = setTimeout(() => finish('timeout'), req.totalTimeoutMs);
    request.on('socket', (socket) => socket.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer)));
    request.on('error', (e: NodeJS.ErrnoException) => finish(e.code ? `${e.code}` : 'request failed'));
    request.on('response', (res) => {
      statusCode = res.statusCode ?? null;
      clearTimeout(connectTimer);
      res.on('data', (chunk: Buffer) => {
        const room = MAX_RESPONSE_BYTES - read;
        if (room > 0) chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        read += chunk.length;
        // Enough read: the status decides, the rest of the body is not our business.
        if (read >= MAX_RESPONSE_BYTES) finish(null);
      });
      res.on('end', () => finish(null));
      res.on('error', () => finish(statusCode === null ? 'response failed' : null));
    });
    request.end(req.body);
  });
}
