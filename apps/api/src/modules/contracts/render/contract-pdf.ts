import PDFDocument from 'pdfkit';
import { create as createQr } from 'qrcode';
import { Typesetter } from '../../../common/pdf/typesetter';
import type {
  ContractBlock,
  ContractPdfInput,
  ContractSignatureBlock,
  ContractSignerEvent,
  ExecutedPdfInput,
  PartyRole,
  SignatureDrawing,
} from './contract-document';

const PAGE = { width: 595.28, height: 841.89 }; // A4 in points
const MARGIN = { left: 56, right: 56, top: 56, bottom: 76 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;
const GREY = '#555555';
const RULE = '#999999';
const SHADE = '#f2f2f2';
const INK = '#1a2a6c'; // drawn signatures
const MAX_CELL_LINES = 30; // a certificate row never outgrows a page

const ROLE_LABEL: Record<PartyRole, string> = { LAWYER: 'Lawyer', CLIENT: 'Client' };
const EVENT_LABEL: Record<ContractSignerEvent['type'], string> = {
  VIEWED: 'Viewed',
  CONSENTED: 'Consented to sign electronically',
  SIGNED: 'Signed',
  DECLINED: 'Declined',
};

/** Block styles: font size, line height, space before and after, left indent. */
const STYLE: Record<ContractBlock['type'], { size: number; line: number; before: number; after: number; bold: boolean }> = {
  heading: { size: 14, line: 19, before: 12, after: 4, bold: true },
  subheading: { size: 11.5, line: 16, before: 8, after: 3, bold: true },
  paragraph: { size: 10, line: 14, before: 0, after: 7, bold: false },
  bullet: { size: 10, line: 14, before: 0, after: 3, bold: false },
};
const BULLET_INDENT = 16;

/** `2026-03-01 10:00:00 UTC`: every time in a contract PDF is UTC, to the second. */
export function utc(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * Lays out one contract PDF top to bottom: keeps `y`, starts a new page when the next piece
 * does not fit, and writes the running header and the footers once every page exists.
 */
class ContractLayout {
  readonly doc: PDFKit.PDFDocument;
  readonly t: Typesetter;
  y = MARGIN.top;
  /** Drawn at the top of every page after the first (what the page belongs to). */
  continuation: string;

  constructor(
    private readonly input: ContractPdfInput,
    info: { subject: string; keywords?: string; date: Date },
  ) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      autoFirstPage: true,
      lang: 'en',
      displayTitle: true,
      info: {
        Title: input.title,
        Subject: info.subject,
        Author: 'LexMarket',
        Creator: 'LexMarket contracts',
        ...(info.keywords ? { Keywords: info.keywords } : {}),
        // Fixed from the input, not the wall clock: pdfkit derives the file ID from these too,
        // so the same input renders the same bytes.
        CreationDate: info.date,
        ModDate: info.date,
      },
    });
    this.t = new Typesetter(this.doc, 10);
    this.continuation = `${input.contractNumber} · ${input.title}`;
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (this.y + height <= BOTTOM) return;
    this.newPage();
  }

  newPage(): void {
    this.doc.addPage();
    this.y = MARGIN.top;
    const line = this.t.wrap(this.continuation, CONTENT_WIDTH, 8)[0]!;
    this.t.line(line, MARGIN.left, this.y - 24, { size: 8, color: GREY });
  }

  rule(y = this.y, color = RULE): void {
    this.doc
      .moveTo(MARGIN.left, y)
      .lineTo(PAGE.width - MARGIN.right, y)
      .lineWidth(0.5)
      .strokeColor(color)
      .stroke();
  }

  /** Wrapped text, line by line (a long paragraph may continue on the next page). */
  text(text: string, opts: { size: number; line: number; bold?: boolean; color?: string; x?: number; width?: number }): void {
    const x = opts.x ?? MARGIN.left;
    const width = opts.width ?? CONTENT_WIDTH - (x - MARGIN.left);
    for (const l of this.t.wrapLines(text, width, opts.size, opts.bold)) {
      this.ensure(opts.line);
      this.t.line(l, x, this.y, { size: opts.size, bold: opts.bold, color: opts.color });
      this.y += opts.line;
    }
  }

  /** A label and a wrapped value beside it; the value may be long (hashes, URLs). */
  field(label: string, value: string, labelWidth = 130, opts: { bold?: boolean; size?: number } = {}): void {
    const size = opts.size ?? 9.5;
    const line = size + 4;
    const lines = this.t.wrapLines(value, CONTENT_WIDTH - labelWidth, size, opts.bold);
    this.ensure(Math.min(lines.length, 3) * line);
    this.t.line(label, MARGIN.left, this.y, { size: 9.5, color: GREY });
    for (const l of lines) {
      this.ensure(line);
      this.t.line(l, MARGIN.left + labelWidth, this.y, { size, bold: opts.bold });
      this.y += line;
    }
  }

  /** Title, number, version, parties: the first page's top. */
  header(kind: 'version' | 'executed'): void {
    const i = this.input;
    for (const l of this.t.wrapLines(i.title, CONTENT_WIDTH, 18, true)) {
      this.t.line(l, MARGIN.left, this.y, { size: 18, bold: true });
      this.y += 24;
    }
    this.y += 2;
    const meta = [`Contract ${i.contractNumber}`, `Version ${i.versionNumber}`, `created ${utc(i.versionCreatedAt)}`];
    if (kind === 'executed') meta.push('executed copy');
    this.text(meta.join(' · '), { size: 9.5, line: 13, color: GREY });
    if (i.previousSha256) this.text(`Previous version SHA-256: ${i.previousSha256}`, { size: 8, line: 11, color: GREY });
    this.y += 6;
    this.rule();
    this.y += 10;

    this.text('Parties', { size: 11.5, line: 16, bold: true });
    for (const p of i.parties) {
      this.ensure(28);
      this.t.line(ROLE_LABEL[p.role], MARGIN.left, this.y, { size: 10, color: GREY });
      this.text(p.name, { size: 10, line: 14, bold: true, x: MARGIN.left + 70 });
      this.text(p.email, { size: 9.5, line: 13, color: GREY, x: MARGIN.left + 70 });
      this.y += 4;
    }
    this.y += 4;
    this.rule();
    this.y += 12;
  }

  blocks(blocks: ContractBlock[]): void {
    blocks.forEach((b, n) => {
      const s = STYLE[b.type];
      if (n > 0) this.y += s.before;
      if (b.type === 'heading' || b.type === 'subheading') {
        // Keep a heading with the first lines of what follows.
        const lines = this.t.wrapLines(b.text, CONTENT_WIDTH, s.size, true);
        this.ensure(lines.length * s.line + 2 * STYLE.paragraph.line);
        this.text(b.text, { size: s.size, line: s.line, bold: true });
      } else if (b.type === 'bullet') {
        this.ensure(s.line);
        this.t.line('•', MARGIN.left + 4, this.y, { size: s.size });
        this.text(b.text, { size: s.size, line: s.line, x: MARGIN.left + BULLET_INDENT });
      } else {
        this.text(b.text, { size: s.size, line: s.line });
      }
      this.y += s.after;
    });
  }

  /** Footer on every page (pages are buffered until now so "of N" is known). */
  footers(left: string, second: string): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      this.doc.page.margins.bottom = 0; // writing below the bottom margin must not start a new page
      const fy = PAGE.height - MARGIN.bottom + 18;
      this.rule(fy - 6);
      const pageLabel = `Page ${i - range.start + 1} of ${range.count}`;
      const pageWidth = this.t.width(pageLabel, 8) + 12;
      this.t.line(this.t.wrap(left, CONTENT_WIDTH - pageWidth, 8)[0]!, MARGIN.left, fy, { size: 8, color: GREY });
      this.t.line(pageLabel, MARGIN.left, fy, { size: 8, width: CONTENT_WIDTH, align: 'right', color: GREY });
      this.t
        .wrap(second, CONTENT_WIDTH, 7.5)
        .slice(0, 2)
        .forEach((l, n) => this.t.line(l, MARGIN.left, fy + 11 + n * 10, { size: 7.5, color: GREY }));
    }
  }

  async bytes(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    this.doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((resolve, reject) => {
      this.doc.on('end', resolve);
      this.doc.on('error', reject);
    });
    this.doc.end();
    await done;
    return Buffer.concat(chunks);
  }
}

/**
 * The strokes of a drawn signature in page coordinates: scaled (aspect kept) and centred into
 * the box. Points that are not finite are dropped, and so are strokes left empty; a drawing
 * without a positive, finite size has no strokes.
 */
export function scaleStrokes(d: SignatureDrawing, box: { x: number; y: number; w: number; h: number }): [number, number][][] {
  if (!(d.width > 0 && d.height > 0 && Number.isFinite(d.width) && Number.isFinite(d.height))) return [];
  const s = Math.min(box.w / d.width, box.h / d.height);
  const ox = box.x + (box.w - d.width * s) / 2;
  const oy = box.y + (box.h - d.height * s) / 2;
  return d.strokes
    .map((stroke) =>
      stroke
        .filter((p) => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]))
        .map(([x, y]): [number, number] => [ox + x * s, oy + y * s]),
    )
    .filter((stroke) => stroke.length > 0);
}

/** Draws the strokes as vector paths clipped to the box (a one-point stroke is a dot); false when there is nothing to draw. */
function drawSignature(
  doc: PDFKit.PDFDocument,
  d: SignatureDrawing,
  box: { x: number; y: number; w: number; h: number },
): boolean {
  const strokes = scaleStrokes(d, box);
  if (strokes.length === 0) return false;
  doc.save();
  doc.rect(box.x, box.y, box.w, box.h).clip();
  doc.lineWidth(1.3).lineCap('round').lineJoin('round').strokeColor(INK).fillColor(INK);
  for (const points of strokes) {
    if (points.length === 1) {
      doc.circle(points[0]![0], points[0]![1], 0.9).fill();
      continue;
    }
    doc.moveTo(...points[0]!);
    for (const p of points.slice(1)) doc.lineTo(...p);
    doc.stroke();
  }
  doc.restore();
  doc.fillColor('black').strokeColor('black');
  return true;
}

const SIG = { drawW: 190, drawH: 62, pad: 10, gap: 16 };

function signatureBlock(l: ContractLayout, s: ContractSignatureBlock): void {
  const { doc, t } = l;
  const textX = MARGIN.left + SIG.pad + SIG.drawW + SIG.gap;
  const textW = PAGE.width - MARGIN.right - SIG.pad - textX;
  const lines: { text: string; bold?: boolean; color?: string }[] = [
    ...t.wrap(`${ROLE_LABEL[s.role]}: ${s.name}`, textW, 10, true).map((text) => ({ text, bold: true })),
    ...t.wrap(`Typed name: ${s.typedName}`, textW, 9).map((text) => ({ text })),
    ...t.wrap(`Signed electronically at ${utc(s.signedAt)}`, textW, 9).map((text) => ({ text })),
    ...t.wrap(`IP address: ${s.ip ?? 'not recorded'}`, textW, 9).map((text) => ({ text, color: GREY })),
    // The hash in two fixed halves: a 64-character word wrapped by measure could touch the border.
    ...['Document SHA-256:', s.documentSha256.slice(0, 32), s.documentSha256.slice(32)].map((text) => ({ text, color: GREY })),
  ];
  const textH = lines.length * 12.5;
  const leftH = SIG.drawH + 30;
  const height = Math.max(textH, leftH) + 2 * SIG.pad;
  l.ensure(height + 10);
  const top = l.y;
  doc.rect(MARGIN.left, top, CONTENT_WIDTH, height).lineWidth(0.5).strokeColor(RULE).stroke();
  const box = { x: MARGIN.left + SIG.pad, y: top + SIG.pad, w: SIG.drawW, h: SIG.drawH };
  const drawn = s.drawing ? drawSignature(doc, s.drawing, box) : false;
  if (!drawn) {
    // No drawing: the typed name stands in the signature box, large, as typed.
    // Large, and smaller for a long name, so the whole name fits on one line of the box.
    let size = 16;
    while (size > 9 && t.wrap(s.typedName, SIG.drawW, size).length > 1) size -= 1;
    const line = t.wrap(s.typedName, SIG.drawW, size)[0]!;
    t.line(line, box.x, box.y + box.h - size - 8, { size, color: INK });
  }
  const lineY = box.y + box.h + 4;
  doc
    .moveTo(box.x, lineY)
    .lineTo(box.x + box.w, lineY)
    .lineWidth(0.7)
    .strokeColor('#333333')
    .stroke();
  t.line(t.wrap(s.typedName, SIG.drawW, 9, true)[0]!, box.x, lineY + 4, { size: 9, bold: true });
  t.line(drawn ? 'Drawn and typed signature' : 'Typed signature', box.x, lineY + 16, { size: 7.5, color: GREY });
  lines.forEach((ln, n) =>
    t.line(ln.text, textX, top + SIG.pad + n * 12.5, { size: ln.bold ? 10 : ln.color ? 8.5 : 9, bold: ln.bold, color: ln.color }),
  );
  l.y = top + height + 10;
}

function qrCode(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = createQr(text, { errorCorrectionLevel: 'M' });
  const m = size / modules.size;
  for (let r = 0; r < modules.size; r++)
    for (let c = 0; c < modules.size; c++) if (modules.get(r, c)) doc.rect(x + c * m, y + r * m, m, m);
  doc.fillColor('black').fill();
}

interface Column {
  title: string;
  width: number;
}
const EVENT_COLUMNS: Column[] = [
  { title: 'Time (UTC)', width: 76 },
  { title: 'Event', width: 78 },
  { title: 'Party', width: 104 },
  { title: 'IP address, user agent, document SHA-256', width: CONTENT_WIDTH - 76 - 78 - 104 },
];
const CELL_PAD = 4;
const CELL_LINE = 11;
const CELL_SIZE = 8;

function certificate(l: ContractLayout, i: ExecutedPdfInput): void {
  const { doc, t } = l;
  l.newPage();
  l.continuation = `Signing certificate (continued) · ${i.contractNumber} · ${i.title}`;
  l.text('Signing certificate', { size: 18, line: 24, bold: true });
  l.text(
    'The parties signed this contract electronically on LexMarket (simple electronic signatures with an audit trail). ' +
      'This page records who signed what, when and from where; the events below come from the platform’s records.',
    { size: 9, line: 12.5, color: GREY },
  );
  l.y += 6;
  l.rule();
  l.y += 8;
  const label = 140;
  l.field('Contract', i.contractNumber, label, { bold: true });
  l.field('Title', i.title, label);
  l.field('Version signed', `${i.versionNumber}, created ${utc(i.versionCreatedAt)}`, label);
  l.field('Version SHA-256', i.versionSha256, label, { size: 8.5 });
  l.field('Previous version SHA-256', i.previousSha256 ?? 'none (first version)', label, { size: 8.5 });
  l.field('Executed', utc(i.executedAt), label, { bold: true });
  l.y += 6;

  // ---- verification, with a QR code of the verify page
  const qr = 92;
  l.ensure(qr + 24);
  l.text('Verification', { size: 11.5, line: 16, bold: true });
  const top = l.y;
  qrCode(doc, i.verifyUrl, MARGIN.left, top, qr);
  const vx = MARGIN.left + qr + 16;
  const vw = CONTENT_WIDTH - qr - 16;
  l.y = top;
  l.text(i.verifyUrl, { size: 9.5, line: 13, bold: true, x: vx, width: vw });
  l.text(
    'Open this address (or scan the code) and choose this file: its SHA-256 is computed in your browser and looked up in ' +
      'the platform’s audit trail, which records the executed file’s hash. A copy changed in any byte is not found. ' +
      'The file also carries the platform’s PDF signature (seal) over all its bytes; a PDF reader shows whether it is intact.',
    { size: 8.5, line: 12, color: GREY, x: vx, width: vw },
  );
  l.y = Math.max(l.y, top + qr) + 12;

  // ---- parties and signatures
  l.text('Parties', { size: 11.5, line: 16, bold: true });
  for (const p of i.parties) {
    const sig = i.signatures.find((s) => s.role === p.role);
    l.field(
      ROLE_LABEL[p.role],
      `${p.name} <${p.email}>${sig ? ` — signed ${utc(sig.signedAt)} as “${sig.typedName}”` : ''}`,
      70,
      { size: 9 },
    );
  }
  l.y += 8;

  // ---- every event, in a table that continues over pages
  l.text('Events', { size: 11.5, line: 16, bold: true });
  const header = () => {
    let x = MARGIN.left;
    for (const c of EVENT_COLUMNS) {
      t.line(c.title, x + CELL_PAD, l.y, { size: CELL_SIZE, bold: true });
      x += c.width;
    }
    l.y += CELL_LINE + 2;
    l.rule();
    l.y += 3;
  };
  l.ensure(CELL_LINE * 4);
  header();
  if (i.events.length === 0) l.text('No events recorded.', { size: CELL_SIZE, line: CELL_LINE, x: MARGIN.left + CELL_PAD });
  i.events.forEach((e, n) => {
    const w = (k: number) => EVENT_COLUMNS[k]!.width - 2 * CELL_PAD;
    const cells = [
      [utc(e.at).slice(0, 10), utc(e.at).slice(11)],
      t.wrap(EVENT_LABEL[e.type], w(1), CELL_SIZE),
      [...t.wrap(e.name, w(2), CELL_SIZE), ROLE_LABEL[e.role]],
      [
        ...t.wrap(`IP: ${e.ip ?? 'not recorded'}`, w(3), CELL_SIZE),
        ...t.wrap(`User agent: ${e.userAgent ?? 'not recorded'}`, w(3), CELL_SIZE),
        ...t.wrap(`Document SHA-256: ${e.documentSha256}`, w(3), CELL_SIZE),
      ],
    ].map((c) => (c.length > MAX_CELL_LINES ? [...c.slice(0, MAX_CELL_LINES - 1), '…'] : c));
    const height = Math.max(...cells.map((c) => c.length)) * CELL_LINE + 4;
    if (l.y + height > BOTTOM) {
      l.newPage();
      header();
    }
    if (n % 2 === 0)
      doc
        .rect(MARGIN.left, l.y - 2, CONTENT_WIDTH, height)
        .fillColor(SHADE)
        .fill();
    let x = MARGIN.left;
    cells.forEach((cell, k) => {
      cell.forEach((text, ln) =>
        t.line(text, x + CELL_PAD, l.y + ln * CELL_LINE, {
          size: CELL_SIZE,
          bold: k === 1 && e.type !== 'VIEWED',
          color: k === 0 ? GREY : undefined,
        }),
      );
      x += EVENT_COLUMNS[k]!.width;
    });
    l.y += height;
  });
  l.rule();
}

/**
 * Renders one version of a contract as an A4 PDF: title, number, version and its creation
 * time, the previous version's hash (the chain), the parties, the blocks (headings,
 * subheadings, paragraphs, bullets; text set literally, long words and hashes wrapped), and on
 * every page a footer with the number, version and "Page n of N". Fonts are embedded subsets
 * (Latin, Greek, Cyrillic, CJK). Deterministic: the metadata dates are the version's creation
 * time, so the same input renders the same bytes (the bytes whose SHA-256 the parties sign).
 */
export async function renderVersionPdf(input: ContractPdfInput): Promise<Buffer> {
  const l = new ContractLayout(input, {
    subject: `Contract ${input.contractNumber}, version ${input.versionNumber}`,
    date: input.versionCreatedAt,
  });
  l.header('version');
  l.blocks(input.blocks);
  l.footers(
    `${input.contractNumber} · Version ${input.versionNumber}`,
    `Version ${input.versionNumber} of contract ${input.contractNumber}, created ${utc(input.versionCreatedAt)}. ` +
      'Signing binds the SHA-256 of this file.',
  );
  return l.bytes();
}

/**
 * Renders the executed contract (not yet sealed; see ContractSealer): the same document as
 * the signed version, then a signature block for each party (drawn signature as vector
 * strokes, typed name, time, IP, document hash), then the signing certificate: parties,
 * every signer event with UTC time, IP, user agent and document hash, the version's and the
 * previous version's SHA-256, the execution time, and the verification URL with its QR code.
 * Deterministic for the same input (metadata dates = executedAt).
 */
export async function renderExecutedPdf(input: ExecutedPdfInput): Promise<Buffer> {
  const l = new ContractLayout(input, {
    subject: `Executed contract ${input.contractNumber}, version ${input.versionNumber}`,
    keywords: `contract:${input.contractNumber} version-sha256:${input.versionSha256}`,
    date: input.executedAt,
  });
  l.header('executed');
  l.blocks(input.blocks);

  l.y += 10;
  l.ensure(40 + SIG.drawH);
  l.text('Signatures', { size: 14, line: 19, bold: true });
  l.y += 4;
  for (const s of input.signatures) signatureBlock(l, s);

  certificate(l, input);
  l.footers(
    `${input.contractNumber} · Version ${input.versionNumber} · Executed ${utc(input.executedAt)}`,
    `Executed copy, sealed with the platform’s PDF signature. Verify it at ${input.verifyUrl}`,
  );
  return l.bytes();
}
