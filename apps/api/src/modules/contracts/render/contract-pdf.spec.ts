import { createHash } from 'node:crypto';
import { pdfText } from '../../../../test/support/pdf-text';
import {
  contractInput,
  drawing,
  executedInput,
  NAMES,
  PREVIOUS_SHA,
  signerEvents,
  USER_AGENT,
  VERSION_SHA,
} from '../../../../test/contracts/pdf-fixtures';
import { renderExecutedPdf, renderVersionPdf, scaleStrokes, utc } from './contract-pdf';

/** pdf.js returns a page's text runs; spacing between runs placed separately may vary, so compare without white space. */
const squash = (s: string) => s.replace(/\s+/g, '');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('contract PDF', () => {
  it('renders a version: title, number, version, parties in four scripts, blocks literally, page numbers on every page', async () => {
    const input = contractInput({
      title: `Engagement letter for ${NAMES.japanese}`,
      parties: [
        { role: 'LAWYER', name: NAMES.polish, email: 'lukasz@example.com' },
        { role: 'CLIENT', name: `${NAMES.russian} / ${NAMES.greek}`, email: 'anna@example.com' },
      ],
      blocks: [
        { type: 'heading', text: '1. Scope' },
        { type: 'paragraph', text: 'A value typed as <script>alert(1)</script>, {{fee}} and # not a heading stays literal.' },
        { type: 'subheading', text: '1.1 Fees' },
        { type: 'bullet', text: 'Fee: 250.00 PLN' },
        { type: 'paragraph', text: 'Line one of an address\nLine two of an address' },
        ...contractInput().blocks,
      ],
    });
    const pdf = await renderVersionPdf(input);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { pages, info } = await pdfText(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const all = squash(pages.join('\n'));
    for (const s of [
      `Engagement letter for ${NAMES.japanese}`,
      'Contract C-2026-000123 · Version 2 · created 2026-03-01 09:15:00 UTC',
      `Previous version SHA-256: ${PREVIOUS_SHA}`,
      NAMES.polish,
      NAMES.russian,
      NAMES.greek,
      'lukasz@example.com',
      '<script>alert(1)</script>, {{fee}} and # not a heading stays literal.',
      '• Fee: 250.00 PLN',
      'Line one of an address',
    ])
      expect(all).toContain(squash(s));
    expect(all).not.toContain('Signing certificate');
    pages.forEach((p, i) => expect(squash(p)).toContain(squash(`C-2026-000123 · Version 2Page ${i + 1} of ${pages.length}`)));
    expect(info).toMatchObject({
      Title: `Engagement letter for ${NAMES.japanese}`,
      Subject: 'Contract C-2026-000123, version 2',
      Author: 'LexMarket',
    });
    expect(String(info.CreationDate)).toMatch(/^D:20260301091500Z/);
  });

  it('is deterministic: the same version renders the same bytes, any change renders other bytes', async () => {
    const a = await renderVersionPdf(contractInput());
    const b = await renderVersionPdf(contractInput());
    expect(sha256(a)).toBe(sha256(b));
    const other = [
      contractInput({ title: 'Engagement letter: consultation on an employment matter.' }),
      contractInput({ versionNumber: 3 }),
      contractInput({ versionCreatedAt: new Date('2026-03-01T09:15:01Z') }),
      contractInput({ previousSha256: null }),
    ];
    for (const input of other) expect(sha256(await renderVersionPdf(input))).not.toBe(sha256(a));
    const executed = executedInput();
    expect(sha256(await renderExecutedPdf(executed))).toBe(sha256(await renderExecutedPdf(executedInput())));
  });

  it('the bench document: three pages as a version', async () => {
    const { pages } = await pdfText(await renderVersionPdf(contractInput()));
    expect(pages).toHaveLength(3);
  });

  it('renders the executed copy: document, signature blocks, then the signing certificate with every event', async () => {
    const input = executedInput();
    const { pages, info } = await pdfText(await renderExecutedPdf(input));
    const certStart = pages.findIndex((p) => p.includes('Signing certificate'));
    expect(certStart).toBeGreaterThanOrEqual(3);
    const body = squash(pages.slice(0, certStart).join('\n'));
    const cert = squash(pages.slice(certStart).join('\n'));
    // The document itself, then a block per party.
    expect(body).toContain(squash('1. Scope of the engagement'));
    expect(body).toContain(squash(`Client: ${NAMES.russian}`));
    expect(body).toContain(squash(`Typed name: ${NAMES.russian}`));
    expect(body).toContain(squash('Drawn and typed signature'));
    expect(body).toContain(squash(`Lawyer: ${NAMES.polish}`));
    expect(body).toContain(squash('Typed signature'));
    expect(body).toContain(squash('Signed electronically at 2026-03-02 10:02:00 UTC'));
    expect(body).toContain(squash('IP address: 2001:db8::1'));
    expect(body).toContain(squash(`Document SHA-256: ${VERSION_SHA}`));
    // The certificate: hashes, execution time, verification URL, parties and every event.
    for (const s of [
      'Version SHA-256',
      VERSION_SHA,
      'Previous version SHA-256',
      PREVIOUS_SHA,
      'Executed',
      '2026-03-02 11:02:01 UTC',
      'https://lexmarket.example/verify',
      `${NAMES.russian} <anna@example.com> — signed 2026-03-02 10:02:00 UTC`,
    ])
      expect(cert).toContain(squash(s));
    for (const e of input.events) {
      expect(cert).toContain(squash(utc(e.at).slice(11)));
      expect(cert).toContain(squash(`IP: ${e.ip}`));
    }
    expect(cert.split(squash(`User agent: ${USER_AGENT}`))).toHaveLength(input.events.length + 1);
    expect(cert.split(squash(`Document SHA-256: ${VERSION_SHA}`))).toHaveLength(input.events.length + 1);
    pages.forEach((p, i) =>
      expect(squash(p)).toContain(
        squash(`C-2026-000123 · Version 2 · Executed 2026-03-02 11:02:01 UTCPage ${i + 1} of ${pages.length}`),
      ),
    );
    expect(info).toMatchObject({
      Subject: 'Executed contract C-2026-000123, version 2',
      Keywords: `contract:C-2026-000123 version-sha256:${VERSION_SHA}`,
    });
    expect(String(info.CreationDate)).toMatch(/^D:20260302110201Z/);
  });

  it('paginates many events with the table header on each certificate page, and wraps long values', async () => {
    const longAgent = `${USER_AGENT} ${'X'.repeat(300)}`;
    const events = Array.from({ length: 15 }, (_, i) => signerEvents(new Date(Date.UTC(2026, 2, 2, 8, i * 4))))
      .flat()
      .map((e, i) => ({
        ...e,
        ip: `198.51.100.${i}`,
        userAgent: i === 7 ? longAgent : e.userAgent,
        name: i === 8 ? `${NAMES.greek} ${'Ω'.repeat(120)}` : e.name,
      }));
    const { pages } = await pdfText(await renderExecutedPdf(executedInput({ events, title: `A title ${'W'.repeat(200)}` })));
    const certPages = pages.slice(pages.findIndex((p) => p.includes('Signing certificate')));
    expect(certPages.length).toBeGreaterThanOrEqual(3);
    certPages.forEach((p) => expect(squash(p)).toContain(squash('Time (UTC)EventParty')));
    certPages.slice(1).forEach((p) => expect(p).toContain('Signing certificate (continued)'));
    const cert = squash(certPages.join('\n'));
    events.forEach((e) => expect(cert).toContain(`IP:${e.ip}`));
    // Nothing is cut: the long value is all there, over several lines.
    expect(cert).toContain('X'.repeat(300));
    expect(cert).toContain('Ω'.repeat(120));
  });

  it('renders CJK names the Japanese face lacks: simplified Chinese and Korean', async () => {
    const input = executedInput({
      parties: [
        { role: 'LAWYER', name: '张伟', email: 'zhang@example.com' },
        { role: 'CLIENT', name: '김민준', email: 'kim@example.com' },
      ],
    });
    const text = squash((await pdfText(await renderExecutedPdf(input))).pages.join('\n'));
    expect(text).toContain('张伟');
    expect(text).toContain('김민준');
  });

  it('scales a drawn signature into its box, keeping the aspect ratio, and drops points that are not numbers', () => {
    const box = { x: 100, y: 200, w: 190, h: 62 };
    const strokes = scaleStrokes(drawing(), box);
    expect(strokes).toHaveLength(3);
    for (const [x, y] of strokes.flat()) {
      expect(x).toBeGreaterThanOrEqual(box.x);
      expect(x).toBeLessThanOrEqual(box.x + box.w);
      expect(y).toBeGreaterThanOrEqual(box.y);
      expect(y).toBeLessThanOrEqual(box.y + box.h);
    }
    // 400×120 into 190×62: limited by the width (0.475), centred vertically.
    const corner = (x: number, y: number) => scaleStrokes({ width: 400, height: 120, strokes: [[[x, y]]] }, box)[0]![0]!;
    const [x0, y0] = corner(0, 0);
    const [x1, y1] = corner(400, 120);
    expect(x0).toBeCloseTo(100);
    expect(x1).toBeCloseTo(290);
    expect(y0).toBeCloseTo(200 + (62 - 120 * 0.475) / 2);
    expect(y1 - y0).toBeCloseTo(120 * 0.475);
    // 10×10 into 190×62: limited by the height (6.2), centred horizontally; bad points and the stroke left empty go.
    const kept = scaleStrokes(
      {
        width: 10,
        height: 10,
        strokes: [
          [[Number.NaN, 1]],
          [
            [1, Infinity],
            [2, 2],
          ],
        ],
      },
      box,
    );
    expect(kept).toHaveLength(1);
    expect(kept[0]).toHaveLength(1);
    expect(kept[0]![0]![0]).toBeCloseTo(100 + (190 - 62) / 2 + 2 * 6.2);
    expect(kept[0]![0]![1]).toBeCloseTo(200 + 2 * 6.2);
    expect(scaleStrokes({ width: 0, height: 10, strokes: [[[1, 1]]] }, box)).toEqual([]);
  });
});
