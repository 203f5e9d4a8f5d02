/**
 * Contracts scenario of `npm run bench` (issue 15, done-when 7): render a 3-page contract to its
 * executed PDF (the document, both signature blocks, the signing certificate with its events and
 * QR code) and seal it with the platform's PDF signature, exactly as the last signature does
 * (renderExecutedPdf + ContractSealer.seal, the generated self-signed RSA-3072 seal).
 *
 * The work is CPU-bound and runs in this process, one document after another on one thread, so
 * the figures are documents per second per core. Two ways: per wall-clock second (the thread
 * busy) and per CPU-second of the process (process.cpuUsage(), which also counts the GC's
 * helper threads: the honest "per core" figure on a machine shared with other processes).
 *
 * In the same run, on the same document, interleaved in BENCH_ROUNDS slices (default 6) of
 * BENCH_CONTRACTS_DURATION seconds in all per variant (default 12), so a change of the machine's
 * load weighs on all alike:
 * - baseline: pdfkit alone with one standard font (Helvetica, nothing embedded) setting the same
 *   title and blocks with its own line wrapper; no signatures, certificate or seal (and no
 *   glyphs for the Cyrillic, Greek or Japanese names: what the cheapest PDF costs);
 * - the version PDF (embedded Noto subsets, our typesetter), unsealed;
 * - the executed PDF, unsealed;
 * - the executed PDF, sealed: the scenario.
 * Below the table, each variant's ratio to the baseline and the seal's own cost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { ContractPdfInput } from '../src/modules/contracts/render/contract-document';
import { executedInput } from '../test/contracts/pdf-fixtures';

/**
 * The production build (`npm run bench` builds it first), loaded when the bench runs: what the API
 * runs, and tsx cannot load the decorated config and sealer classes from source.
 */
function built() {
  const dist = join(__dirname, '..', 'dist');
  return {
    ...(require(join(dist, 'config/app-config')) as typeof import('../src/config/app-config')),
    ...(require(join(dist, 'common/time/clock')) as typeof import('../src/common/time/clock')),
    ...(require(
      join(dist, 'modules/contracts/render/contract-pdf'),
    ) as typeof import('../src/modules/contracts/render/contract-pdf')),
    ...(require(join(dist, 'modules/contracts/render/pdf-seal')) as typeof import('../src/modules/contracts/render/pdf-seal')),
  };
}

const DURATION = Number(process.env.BENCH_CONTRACTS_DURATION ?? 12);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 6));
const WARMUP = 3;

/** A bench that runs in this process (no HTTP servers): its lines are printed as they are. */
export interface LocalBench {
  name: string;
  run: () => Promise<string[]>;
}

/** The baseline: the same content through pdfkit alone, Helvetica, its own wrapping. */
function plainPdf(input: ContractPdfInput): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { left: 56, right: 56, top: 56, bottom: 76 },
    info: { Title: input.title, CreationDate: input.versionCreatedAt, ModDate: input.versionCreatedAt },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(18).text(input.title);
  doc.font('Helvetica').fontSize(9.5).text(`Contract ${input.contractNumber} · Version ${input.versionNumber}`);
  for (const p of input.parties) doc.text(`${p.role}: ${p.name} <${p.email}>`);
  for (const b of input.blocks) {
    if (b.type === 'heading') doc.font('Helvetica-Bold').fontSize(14).text(b.text, { paragraphGap: 4 });
    else if (b.type === 'subheading') doc.font('Helvetica-Bold').fontSize(11.5).text(b.text, { paragraphGap: 3 });
    else
      doc
        .font('Helvetica')
        .fontSize(10)
        .text(b.type === 'bullet' ? `• ${b.text}` : b.text, { paragraphGap: 7, indent: b.type === 'bullet' ? 16 : 0 });
  }
  doc.end();
  return done;
}

/** The page tree's /Count (pdfkit writes one /Pages dictionary; the seal's incremental update does not touch it). */
const pageCount = (pdf: Buffer) => Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(pdf.toString('latin1'))?.[1] ?? NaN);

interface Tally {
  docs: number;
  wallMs: number;
  cpuMs: number;
  latencies: number[];
  bytes: number;
}

async function slice(work: () => Promise<Buffer>, seconds: number, tally: Tally): Promise<void> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  do {
    const t = performance.now();
    const pdf = await work();
    tally.latencies.push(performance.now() - t);
    tally.docs++;
    tally.bytes = pdf.length;
  } while (performance.now() < end);
  tally.wallMs += performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  tally.cpuMs += (cpu.user + cpu.system) / 1000;
}

async function runContractsBench(): Promise<string[]> {
  const { ContractSealer, loadConfig, renderExecutedPdf, renderVersionPdf, SystemClock } = built();
  const dataDir = mkdtempSync(join(tmpdir(), 'lm-bench-contracts-'));
  try {
    const sealer = new ContractSealer(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), new SystemClock());
    sealer.certificate(); // generates the seal's key now, outside the measurement
    const input = executedInput();
    const sealOpts = { signedAt: input.executedAt, reason: `Executed contract ${input.contractNumber}` };
    const variants: { name: string; work: () => Promise<Buffer>; pages?: number }[] = [
      { name: 'baseline: pdfkit, Helvetica, same text, unsealed', work: () => plainPdf(input) },
      { name: 'version PDF (embedded fonts), unsealed', work: () => renderVersionPdf(input) },
      { name: 'executed PDF (+ signatures, certificate), unsealed', work: () => renderExecutedPdf(input) },
      {
        name: 'contracts: executed PDF + seal (the scenario)',
        work: async () => sealer.seal(await renderExecutedPdf(input), sealOpts),
      },
    ];
    for (const v of variants) {
      let pdf: Buffer = Buffer.alloc(0);
      for (let i = 0; i < WARMUP; i++) pdf = await v.work();
      v.pages = pageCount(pdf);
    }
    const tallies = variants.map((): Tally => ({ docs: 0, wallMs: 0, cpuMs: 0, latencies: [], bytes: 0 }));
    console.log(`contracts: ${DURATION}s per variant in ${ROUNDS} interleaved slices, one thread`);
    for (let round = 0; round < ROUNDS; round++)
      for (const [i, v] of variants.entries()) await slice(v.work, DURATION / ROUNDS, tallies[i]!);

    const perWall = (t: Tally) => t.docs / (t.wallMs / 1000);
    const perCpu = (t: Tally) => t.docs / (t.cpuMs / 1000);
    const pct = (t: Tally, q: number) => {
      const sorted = [...t.latencies].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    };
    const base = tallies[0]!;
    const rows = variants.map((v, i) => {
      const t = tallies[i]!;
      return [
        v.name,
        String(v.pages),
        `${Math.round(t.bytes / 1024)} KiB`,
        String(t.docs),
        perWall(t).toFixed(2),
        perCpu(t).toFixed(2),
        `${pct(t, 0.5).toFixed(0)} / ${pct(t, 0.99).toFixed(0)}`,
        i === 0 ? '1.00x' : `${(perCpu(t) / perCpu(base)).toFixed(3)}x`,
      ];
    });
    const header = [
      'variant',
      'pages',
      'size',
      'docs',
      'docs/s (wall, 1 thread)',
      'docs per CPU-second',
      'p50 / p99 ms',
      'vs baseline (per CPU-s)',
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
    const executed = tallies[2]!;
    const sealed = tallies[3]!;
    const sealMs = 1000 / perCpu(sealed) - 1000 / perCpu(executed);
    return [
      '',
      line(header),
      '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|',
      ...rows.map(line),
      '',
      `contracts: ${perCpu(sealed).toFixed(2)} executed+sealed 3-page contracts per CPU-second (per core), ` +
        `${(perCpu(sealed) / perCpu(base)).toFixed(3)}x the baseline's ${perCpu(base).toFixed(1)} plain PDFs; ` +
        `the seal alone ≈ ${sealMs.toFixed(0)} ms of CPU per document (RSA-3072 via node-forge, PKCS#12 read per seal).`,
    ];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const LOCAL_BENCHES: LocalBench[] = [
  { name: 'contracts: render a 3-page contract to an executed PDF and seal it', run: runContractsBench },
];
