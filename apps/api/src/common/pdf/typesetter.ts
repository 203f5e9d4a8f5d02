import { fontkitFont, latinAscent, textRuns, type FontFace, type TextRun } from './fonts';

export type Align = 'left' | 'right';

/** Wrap tokens: a space, one CJK character (lines may break between any two), or a run of anything else. */
const CJK = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Hangul}\\u3000-\\u303f\\uff00-\\uffef';
const BREAKS = new RegExp(` |[${CJK}]|[^ ${CJK}]+`, 'gu');

export interface LineOptions {
  size?: number;
  bold?: boolean;
  /** With `align: 'right'`: the text ends at x + width. */
  width?: number;
  align?: Align;
  color?: string;
}

/**
 * Draws text in runs of the face that has their glyphs (see `textRuns`). pdfkit itself has no
 * font fallback, so this small layer measures, wraps and places the runs. Shared by every PDF
 * the API renders (statements, contracts).
 */
export class Typesetter {
  private readonly registered = new Set<FontFace>();
  private readonly widths = new Map<string, number>();

  /** `size` is the default font size of `line`, `wrap` and `width`. */
  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly size = 9,
  ) {}

  private use(face: FontFace, size: number): PDFKit.PDFDocument {
    // Registered on first use: a document without CJK text never parses a CJK font.
    if (!this.registered.has(face)) {
      // pdfkit takes a parsed fontkit font as well as a file (PDFFontFactory checks for `layout`).
      this.doc.registerFont(face, fontkitFont(face) as unknown as Buffer);
      this.registered.add(face);
    }
    return this.doc.font(face).fontSize(size);
  }

  width(text: string, size = this.size, bold = false): number {
    return textRuns(text, bold).reduce((w, r) => w + this.use(r.face, size).widthOfString(r.text), 0);
  }

  /** `width`, remembered per size and weight: wrapping measures the same words again and again. */
  private tokenWidth(token: string, size: number, bold: boolean): number {
    const key = `${size}${bold ? 'b' : ''}|${token}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = this.width(token, size, bold);
      this.widths.set(key, w);
    }
    return w;
  }

  /** One line at (x, y) — y is the top of the line — left-aligned, or right-aligned to x + width. */
  line(text: string, x: number, y: number, opts: LineOptions = {}): void {
    const size = opts.size ?? this.size;
    const runs: TextRun[] = textRuns(text, opts.bold);
    let cx = opts.align === 'right' && opts.width !== undefined ? x + opts.width - this.width(text, size, opts.bold) : x;
    // Faces differ in ascent, so runs share the Latin face's baseline rather than their tops.
    const baseline = y + latinAscent() * size;
    this.doc.fillColor(opts.color ?? 'black');
    for (const r of runs) {
      const doc = this.use(r.face, size);
      doc.text(r.text, cx, baseline, { lineBreak: false, baseline: 'alphabetic' });
      cx += doc.widthOfString(r.text);
    }
    this.doc.fillColor('black');
  }

  /**
   * Greedy word wrap to `width`: breaks at spaces, between CJK characters (which have none),
   * and inside a word only when the word alone is wider than the line (hashes, user agents).
   * White space, line breaks included, collapses to single spaces (see `wrapLines`). A line's
   * width is the sum of its tokens' widths (as pdfkit's own wrapper measures), each token
   * measured once per document, so wrapping stays linear in the text's length.
   */
  wrap(text: string, width: number, size = this.size, bold = false): string[] {
    const whole = text.replace(/\s+/g, ' ').trim();
    if (this.width(whole, size, bold) <= width) return [whole]; // the common case: one line
    const measure = (s: string) => this.tokenWidth(s, size, bold);
    const space = measure(' ');
    const tokens = whole.match(BREAKS) ?? [];
    const lines: string[] = [];
    let current = '';
    let used = 0;
    const flush = () => {
      if (current.trim()) lines.push(current.trimEnd());
      current = '';
      used = 0;
    };
    for (const token of tokens) {
      if (token === ' ') {
        if (current) {
          current += ' ';
          used += space;
        }
        continue;
      }
      const w = measure(token);
      if (used + w <= width) {
        current += token;
        used += w;
        continue;
      }
      flush();
      if (w <= width) {
        current = token;
        used = w;
        continue;
      }
      for (const ch of token) {
        const cw = measure(ch);
        if (current && used + cw > width) flush();
        current += ch;
        used += cw;
      }
    }
    flush();
    return lines.length > 0 ? lines : [''];
  }

  /** Like `wrap`, but keeps the text's own line breaks (an address typed on three lines stays three lines). */
  wrapLines(text: string, width: number, size = this.size, bold = false): string[] {
    return text.split(/\r?\n/).flatMap((l) => this.wrap(l, width, size, bold));
  }
}
