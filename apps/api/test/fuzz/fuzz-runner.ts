import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { request as httpRequest, type Server } from 'node:http';
import { caseFor, type FuzzCase, type ValuePool } from './arbitraries';
import type { OpenApiDocument, Operation } from './openapi-model';
import { ResponseChecker, submittedStrings, type Observed } from './response-checker';

/** Someone calling the API in the suite. `renew` gets a fresh credential when a case ended theirs (logout…). */
export interface FuzzCaller {
  name: string;
  /** Role the credential acts with; undefined for anonymous. */
  role?: string;
  authorization?: string;
  renew?: () => Promise<string>;
}

export interface FuzzFailure {
  operation: string;
  caller: string;
  seed: number;
  /** fast-check's replay path of the (shrunk) counterexample. */
  path?: string;
  case: string;
  violations: string[];
}

export interface FuzzReport {
  operations: number;
  cases: number;
  seed: number;
  durationMs: number;
  failures: FuzzFailure[];
  slow: { operation: string; caller: string; ms: number; case: string }[];
  statuses: Record<string, number>;
  /** Operations (`METHOD /path`) no caller got a 2xx from: reached only by their refusals. */
  neverSucceeded: string[];
}

export interface FuzzOptions {
  seed: number;
  /** Cases per operation per caller. */
  runs: number;
  slowMs?: number;
  strictTime?: boolean;
  /** Only operations whose key matches (e.g. replaying one failure). */
  only?: RegExp;
  /** Only every `count`-th operation from the `index`-th (several processes share a run). */
  shard?: { index: number; count: number };
}

/** A stable 32-bit seed per operation and caller, derived from the run's seed (replay one cell alone). */
export function cellSeed(seed: number, operation: string, caller: string): number {
  let h = seed | 0;
  for (const ch of `${operation}|${caller}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x9e3779b1) >>> 0;
  return h | 0;
}

/**
 * Runs `runs` generated cases against every operation as every caller, in-process (Fastify
 * inject), and checks each response with the ResponseChecker. A failing cell is shrunk by
 * fast-check to a small counterexample; the report lists each with its seed and replay path.
 */
export async function runFuzz(
  app: NestFastifyApplication,
  document: OpenApiDocument,
  operations: Operation[],
  callers: FuzzCaller[],
  pool: ValuePool,
  opts: FuzzOptions,
): Promise<FuzzReport> {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const address = (app.getHttpServer() as Server).address();
  const port = address && typeof address === 'object' ? address.port : null;
  const checker = new ResponseChecker(document, { slowMs: opts.slowMs ?? 2_000, strictTime: opts.strictTime ?? false });
  const started = performance.now();
  const report: FuzzReport = { operations: 0, cases: 0, seed: opts.seed, durationMs: 0, failures: [], slow: [], statuses: {}, neverSucceeded: [] };
  for (const [i, op] of operations.entries()) {
    if (opts.only && !opts.only.test(op.key)) continue;
    if (opts.shard && i % opts.shard.count !== opts.shard.index) continue;
    report.operations++;
    let succeeded = false;
    const arb = caseFor(document, op, pool);
    for (const caller of callers) {
      const violationsOf = new Map<FuzzCase, string[]>();
      const seed = cellSeed(opts.seed, op.key, caller.name);
      const details = await fc.check(
        fc.asyncProperty(arb, fc.ipV4(), async (c, ip) => {
          report.cases++;
          const observed = await send(fastify, port, op, c, caller, ip);
          report.statuses[observed.status] = (report.statuses[observed.status] ?? 0) + 1;
          if (observed.status >= 200 && observed.status < 300) succeeded = true;
          const submitted = submittedStrings([c.query, c.headers, c.body && 'json' in c.body ? c.body.json : undefined]);
          const { violations, slow } = checker.check(op, observed, submitted);
          if (slow) report.slow.push({ operation: op.key, caller: caller.name, ms: Math.round(observed.durationMs), case: describe(c) });
          await renewIfEnded(fastify, caller, observed);
          if (violations.length > 0) violationsOf.set(c, violations);
          return violations.length === 0;
        }),
        // endOnFailure: report the first failing case as generated, without spending requests on
        // shrinking it; `--seed` and the printed path replay it exactly.
        { seed, numRuns: opts.runs, endOnFailure: true, maxSkipsPerRun: 0 },
      );
      if (process.env.FUZZ_VERBOSE) process.stderr.write(`${op.key} as ${caller.name}: ${details.numRuns} runs${details.failed ? ' FAILED' : ''} ${Math.round(performance.now() - started)} ms\n`);
      if (details.failed) {
        const counterexample = details.counterexample?.[0] as FuzzCase | undefined;
        report.failures.push({
          operation: op.key,
          caller: caller.name,
          seed,
          path: details.counterexamplePath ?? undefined,
          case: counterexample ? describe(counterexample) : String(details.errorInstance ?? 'no counterexample'),
          violations: (counterexample && violationsOf.get(counterexample)) ?? [String(details.errorInstance)],
        });
      }
    }
    if (!succeeded) report.neverSucceeded.push(op.key);
  }
  report.durationMs = performance.now() - started;
  return report;
}

async function send(fastify: FastifyInstance, port: number | null, op: Operation, c: FuzzCase, caller: FuzzCaller, ip: string): Promise<Observed> {
  const url = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodePathValue(c.path[name])) + encodeQuery(c.query);
  const headers: Record<string, string> = { ...c.headers };
  if (caller.authorization) headers.authorization = caller.authorization;
  let payload: string | undefined;
  if (c.body && 'json' in c.body) {
    payload = JSON.stringify(c.body.json) ?? 'null';
    headers['content-type'] = 'application/json';
  } else if (c.body) {
    payload = c.body.raw;
    if (c.body.contentType) headers['content-type'] = c.body.contentType;
  }
  const t0 = performance.now();
  // An event stream (text/event-stream) that opens never ends. Over a socket (the app listens) the
  // case is answered by the response's head and the connection is dropped, which also closes the
  // stream on the server (and so frees the caller's stream quota for the next case).
  // Generated headers and long URLs stay on inject: Node's client refuses some values a case may
  // hold, and its server answers an oversized head itself (431) before the app sees it.
  if (isEventStream(op) && port !== null && Object.keys(c.headers).length === 0 && url.length <= 4096) {
    try {
      return { ...(await sendOverSocket(port, op.method, url, headers, payload)), durationMs: performance.now() - t0 };
    } catch (e) {
      // A path Node's client refuses to send (inject is laxer): fall back to inject below.
      if (!String((e as { code?: unknown }).code ?? '').startsWith('ERR_')) throw e;
    }
  }
  const injected = fastify.inject({ method: op.method, url, headers, payload, remoteAddress: ip });
  // Without a socket, inject would wait forever: a case still unanswered after STREAM_WAIT_MS is
  // the stream it declares; the app ends it when it closes.
  const res = isEventStream(op) ? await Promise.race([injected, new Promise<'open'>((r) => setTimeout(() => r('open'), STREAM_WAIT_MS).unref())]) : await injected;
  if (res === 'open') return { status: 200, headers: { 'content-type': 'text/event-stream' }, body: '', durationMs: performance.now() - t0 };
  return { status: res.statusCode, headers: res.headers, body: res.body, durationMs: performance.now() - t0 };
}

/** One request over a real connection: an event stream is answered by its head (then dropped), anything else by its whole body. */
function sendOverSocket(port: number, method: string, path: string, headers: Record<string, string>, payload: string | undefined): Promise<Omit<Observed, 'durationMs'>> {
  return new Promise((resolve, reject) => {
    // As inject does: a body goes with its length (Node sends a GET's body unframed otherwise).
    const framed = payload === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(payload)) };
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: framed, agent: false }, (res) => {
      const head = { status: res.statusCode ?? 0, headers: res.headers as Observed['headers'] };
      if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        req.destroy();
        resolve({ ...head, body: '' });
        return;
      }
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ ...head, body }));
      res.on('error', reject);
    });
    req.setTimeout(STREAM_WAIT_MS, () => req.destroy(new Error(`no response head within ${STREAM_WAIT_MS} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** How long a case of a streaming operation may go unanswered before it counts as an open stream. */
const STREAM_WAIT_MS = 5_000;

/** Whether an operation answers with a Server-Sent Events stream. */
function isEventStream(op: Operation): boolean {
  return Object.values(op.responses).some((media) => 'text/event-stream' in media);
}

/** A case may end its caller's sign-in (logout, password change): sign in again so later cases run as that caller. */
async function renewIfEnded(fastify: FastifyInstance, caller: FuzzCaller, observed: Observed): Promise<void> {
  if (observed.status !== 401 || !caller.authorization || !caller.renew) return;
  const me = await fastify.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: caller.authorization } });
  if (me.statusCode === 401) caller.authorization = `Bearer ${await caller.renew()}`;
}

function encodePathValue(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return encodeLoosely(text);
}

function encodeQuery(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) && value.every((x) => typeof x !== 'object' || x === null) ? value : [value]) {
      const text = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
      parts.push(`${encodeLoosely(key)}=${encodeLoosely(text)}`);
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

/** encodeURIComponent, except that lone surrogates (which it refuses) go out as the bytes of their WTF-8 form. */
function encodeLoosely(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text]
      .map((ch) => {
        const code = ch.charCodeAt(0);
        if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff) {
          return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
        }
        return encodeURIComponent(ch);
      })
      .join('');
  }
}

/** One line per case, long values cut. */
export function describe(c: FuzzCase): string {
  return JSON.stringify(c, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 60)}…(${v.length} chars)` : v));
}

/** The summary printed after a run. */
export function formatReport(report: FuzzReport, runs: number, shard?: { index: number; count: number }): string {
  const lines = [
    `OpenAPI fuzz${shard ? ` (shard ${shard.index + 1} of ${shard.count})` : ''}: ${report.operations} operations, ${report.cases} cases (${runs} per operation per caller), seed ${report.seed}, ${(report.durationMs / 1000).toFixed(1)} s`,
    `  replay: npm run fuzz -- --seed ${report.seed} --runs ${runs}${shard ? ` --parallel ${shard.count}` : ''}`,
    `  statuses: ${Object.entries(report.statuses)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')}`,
  ];
  lines.push(`  answered 2xx to some caller: ${report.operations - report.neverSucceeded.length} of ${report.operations} operations`);
  if (report.neverSucceeded.length > 0) lines.push(`  only refusals (4xx) seen: ${report.neverSucceeded.join(', ')}`);
  if (report.slow.length > 0) {
    lines.push(`  slow (flagged, not failed): ${report.slow.length}`);
    for (const s of report.slow.slice(0, 10)) lines.push(`    ${s.ms} ms ${s.operation} as ${s.caller}: ${s.case.slice(0, 200)}`);
  }
  for (const f of report.failures) {
    lines.push(`  FAIL ${f.operation} as ${f.caller} (cell seed ${f.seed}, path ${f.path ?? '-'})`);
    lines.push(`    case: ${f.case.slice(0, 600)}`);
    for (const v of f.violations) lines.push(`    - ${v.slice(0, 600)}`);
  }
  return lines.join('\n');
}
