import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { statementPdf } from '../../src/modules/statements/render/statement-pdf';
import { hasGlyph, textRuns } from '../../src/common/pdf/fonts';
import { pdfText } from '../support/pdf-text';
import { statementDocument } from './statement-fixtures';

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** pdf.js returns a page's text runs; spacing between runs placed separately may vary, so compare without white space. */
const squash = (s: string) => s.replace(/\s+/g, '');

describe('statement PDF', () => {
  it('picks the face by glyph coverage: Noto Sans for Latin, Noto Sans JP for Japanese', () => {
    expect(hasGlyph('latin', 'Ł'.codePointAt(0)!)).toBe(true);
    expect(hasGlyph('latin', '山'.codePointAt(0)!)).toBe(false);
    expect(hasGlyph('jp', '山'.codePointAt(0)!)).toBe(true);
    expect(textRuns('Łukasz Żółć & 山田太郎 Ltd')).toEqual([
      { face: 'latin', text: 'Łukasz Żółć & ' },
      { face: 'jp', text: '山田太郎 ' },
      { face: 'latin', text: 'Ltd' },
    ]);
    expect(textRuns('山田', true)).toEqual([{ face: 'jp-bold', text: '山田' }]);
  });

  it('embeds the fonts: the extracted text has the Polish and the Japanese name, the number, balances and page numbers', async () => {
    const doc = statementDocument({ payeeName: 'Łukasz Żółć' }, 3);
    doc.lines[1]!.description = 'Commission: client 山田太郎';
    const pdf = await bytes(statementPdf(doc));
    const { pages, info } = await pdfText(pdf);
    expect(pages).toHaveLength(1);
    const text = pages[0]!;
    expect(text).toContain('Łukasz Żółć');
    expect(text).toContain('山田太郎');
    for (const s of [
      'Statement',
      'ST-202603-000042',
      'Lawyer',
      'March 2026',
      'Europe/Warsaw',
      'EUR',
      'Openingbalance',
      'Closingbalance',
      '€12.50',
      'Page1of1',
      'SHA-256',
      'Issued2026-04-0102:05(Europe/Warsaw)',
    ])
      expect(squash(text)).toContain(squash(s));
    expect(squash(text)).toContain(squash(`€${(doc.closingMinor / 100).toFixed(2)}`));
    expect(info).toMatchObject({ Title: 'Statement ST-202603-000042', Author: 'LexMarket' });
    expect(String(info.CreationDate)).toMatch(/^D:20260401000500Z/);
    // Subsets, not whole fonts: the Japanese font file alone is 4.5 MB.
    expect(pdf.length).toBeLessThan(200_000);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('renders the same bytes for the same statement', async () => {
    const doc = statementDocument({ payeeName: '山田太郎' }, 5);
    const a = await bytes(statementPdf(doc));
    const b = await bytes(statementPdf(statementDocument({ payeeName: '山田太郎' }, 5)));
    expect(createHash('sha256').update(a).digest('hex')).toBe(createHash('sha256').update(b).digest('hex'));
  });

  it('breaks a long statement across pages, with the table header and "Page n of N" on every page', async () => {
    const doc = statementDocument({ currency: 'JPY' }, 130, 0);
    doc.lines[7]!.description =
      'A long description that has to wrap over several lines of the description column because it goes on and on, 山田太郎さんの紹介による相談料の支払いについての説明文です';
    const { pages } = await pdfText(await bytes(statementPdf(doc)));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((p, i) => {
      expect(squash(p)).toContain(squash(`Page ${i + 1} of ${pages.length}`));
      expect(squash(p)).toContain('DateTimeTypeDescriptionAmountBalance');
      expect(p).toContain('ST-202603-000042');
    });
    expect(squash(pages.join(''))).toContain(squash('山田太郎さんの紹介'));
    expect(squash(pages[pages.length - 1]!)).toContain(squash(`Closing balance`));
    // Every line is there, once.
    const all = squash(pages.join(''));
    for (const l of doc.lines.filter((_, i) => i !== 7))
      expect(all.match(new RegExp(`Clientpaymentforsession${l.lineNo}(?!\\d)`, 'g'))).toHaveLength(1);
  });
});
