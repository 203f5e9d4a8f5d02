/**
 * Blobs scenario of `npm run bench` (issue 16, encryption at rest): what the encrypting BlobStore
 * costs next to the bare driver, in the same process, on the same bytes. BENCH_ONLY=blobs runs it
 * alone (no servers).
 *
 * Per driver — the filesystem driver (what embedded mode stores to; every put is fsynced, so the
 * disk weighs in) and an in-memory driver (nothing but the encryption's own cost) — and per
 * operation on an 8 MiB object (BENCH_BLOB_MIB): put (a stream of 64 KiB pieces), a whole get,
 * and a 1 MiB ranged get from the middle. The raw driver and the encrypting decorator over it
 * run interleaved in BENCH_ROUNDS slices (default 6) of BENCH_BLOBS_DURATION seconds in all per
 * variant (default 2), so a change of the machine's load weighs on both alike. Figures are
 * plaintext MB/s (10^6 bytes) of the work done by one thread; the ratio is encrypted / raw.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { BlobStore } from '../src/modules/storage/blob-store';
import { MemoryBlobStore } from '../test/storage/memory-blob-store';
import type { LocalBench } from './contracts-bench';

/** The production build (`npm run bench` builds it first): tsx cannot load the decorated config class from source. */
function built() {
  const dist = join(__dirname, '..', 'dist');
  return {
    ...(require(join(dist, 'config/app-config')) as typeof import('../src/config/app-config')),
    ...(require(join(dist, 'modules/storage/fs-blob-store')) as typeof import('../src/modules/storage/fs-blob-store')),
    ...(require(join(dist, 'modules/storage/encrypting-blob-store')) as typeof import('../src/modules/storage/encrypting-blob-store')),
    ...(require(join(dist, 'modules/storage/blob-key-ring')) as typeof import('../src/modules/storage/blob-key-ring')),
  };
}

const DURATION = Number(process.env.BENCH_BLOBS_DURATION ?? 2);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 6));
const MIB = Math.max(1, Number(process.env.BENCH_BLOB_MIB ?? 8));

interface Tally {
  bytes: number;
  ms: number;
  ops: number;
}

async function drain(stream: Readable): Promise<number> {
  let n = 0;
  for await (const chunk of stream) n += (chunk as Buffer).length;
  return n;
}

function pieces(body: Buffer): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += 64 * 1024) parts.push(body.subarray(at, at + 64 * 1024));
  return Readable.from(parts);
}

async function slice(work: () => Promise<number>, seconds: number, tally: Tally): Promise<void> {
  const start = performance.now();
  const end = start + seconds * 1000;
  do {
    tally.bytes += await work();
    tally.ops++;
  } while (performance.now() < end);
  tally.ms += performance.now() - start;
}

async function runBlobsBench(): Promise<string[]> {
  const { AppConfig, FsBlobStore, EncryptingBlobStore, BlobKeyRing, newMasterKey } = built();
  const dir = mkdtempSync(join(tmpdir(), 'lm-bench-blobs-'));
  try {
    const ring = new BlobKeyRing([newMasterKey()], 'bench');
    const fsDriver = new FsBlobStore(Object.assign(new AppConfig(), { BLOB_FS_ROOT: join(dir, 'blobs') }));
    const memDriver = new MemoryBlobStore();
    const body = randomBytes(MIB * 1024 * 1024);
    const range = { start: Math.floor(body.length / 2) - 512 * 1024 + 7, end: Math.floor(body.length / 2) + 512 * 1024 + 6 };
    const drivers: { name: string; raw: BlobStore; encrypted: BlobStore }[] = [
      { name: 'filesystem (fsync)', raw: fsDriver, encrypted: new EncryptingBlobStore(fsDriver, ring) },
      { name: 'in-memory', raw: memDriver, encrypted: new EncryptingBlobStore(memDriver, ring) },
    ];
    const ops: { name: string; work: (s: BlobStore, key: string) => Promise<number> }[] = [
      { name: `put ${MIB} MiB (stream)`, work: async (s, key) => (await s.put(key, pieces(body))).size },
      { name: `get ${MIB} MiB`, work: async (s, key) => drain((await s.get(key)).stream) },
      { name: 'get 1 MiB range', work: async (s, key) => drain((await s.get(key, range)).stream) },
    ];
    type Variant = { driver: string; op: string; store: 'raw' | 'encrypted'; work: () => Promise<number>; tally: Tally };
    const variants: Variant[] = [];
    for (const d of drivers)
      for (const op of ops)
        for (const store of ['raw', 'encrypted'] as const) {
          const key = `bench/${d.name.split(' ')[0]}/${store}`;
          variants.push({ driver: d.name, op: op.name, store, work: () => op.work(d[store], key), tally: { bytes: 0, ms: 0, ops: 0 } });
        }
    // Each store holds its object before the reads; one warm-up of every variant.
    for (const d of drivers) for (const store of ['raw', 'encrypted'] as const) await d[store].put(`bench/${d.name.split(' ')[0]}/${store}`, body);
    for (const v of variants) await v.work();
    console.log(`blobs: ${DURATION}s per variant in ${ROUNDS} interleaved slices, one thread, ${MIB} MiB object`);
    for (let round = 0; round < ROUNDS; round++) for (const v of variants) await slice(v.work, DURATION / ROUNDS, v.tally);

    const mbps = (t: Tally) => t.bytes / 1e6 / (t.ms / 1000);
    const header = ['driver', 'operation', 'raw MB/s', 'encrypted MB/s', 'encrypted / raw'];
    const rows: string[][] = [];
    const ratios: string[] = [];
    for (const d of drivers)
      for (const op of ops) {
        const raw = variants.find((v) => v.driver === d.name && v.op === op.name && v.store === 'raw')!.tally;
        const enc = variants.find((v) => v.driver === d.name && v.op === op.name && v.store === 'encrypted')!.tally;
        const ratio = mbps(enc) / mbps(raw);
        rows.push([d.name, op.name, mbps(raw).toFixed(0), mbps(enc).toFixed(0), `${ratio.toFixed(2)}x`]);
        ratios.push(`${d.name.split(' ')[0]} ${op.name.split(' ')[0]}${op.name.includes('range') ? ' range' : ''} ${ratio.toFixed(2)}x`);
      }
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
    return [
      '',
      line(header),
      '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|',
      ...rows.map(line),
      '',
      `blobs: encrypted / raw throughput — ${ratios.join(', ')} (AES-256-GCM in 64 KiB chunks via node:crypto; a ranged get adds one small header read).`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const BLOB_BENCHES: LocalBench[] = [{ name: 'blobs: encrypting BlobStore vs the raw driver (put, get, ranged get)', run: runBlobsBench }];
