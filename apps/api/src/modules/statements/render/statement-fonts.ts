import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

/**
 * The fonts embedded in statement PDFs, shipped as npm packages (no system fonts, so a fresh
 * `npm ci` renders the same file everywhere): Noto Sans for Latin, Greek and Cyrillic
 * ("Łukasz Żółć") and Noto Sans JP for Japanese and the common CJK ideographs ("山田太郎").
 * Neither covers both, so every text run is set in the first font that has its glyphs.
 * pdfkit embeds only the glyphs used (a subset with a ToUnicode map, so the text can be
 * searched and copied).
 */
export type FontFace = 'latin' | 'latin-bold' | 'cjk' | 'cjk-bold';

function fontsDir(pkg: string): string {
  // The packages export only a list of file names; their fonts/ folder sits beside dist/.
  return join(dirname(require.resolve(pkg)), '..', 'fonts');
}

const FILES: Record<FontFace, () => string> = {
  latin: () => join(fontsDir('@embedpdf/fonts-latin'), 'NotoSans-Regular.ttf'),
  'latin-bold': () => join(fontsDir('@embedpdf/fonts-latin'), 'NotoSans-Bold.ttf'),
  cjk: () => join(fontsDir('@embedpdf/fonts-jp'), 'NotoSansJP-Regular.otf'),
  'cjk-bold': () => join(fontsDir('@embedpdf/fonts-jp'), 'NotoSansJP-Bold.otf'),
};

const parsed = new Map<FontFace, fontkit.Font>();

/**
 * The face parsed by fontkit, once per process. pdfkit accepts a fontkit font as a font source
 * and would otherwise parse the file again for every document, and re-decode its OpenType
 * layout tables (GSUB/GPOS) on the first line of text: ~100 ms of CPU per face and statement.
 * The font object is only read (each document makes its own glyph subset).
 */
export function fontkitFont(face: FontFace): fontkit.Font {
  let f = parsed.get(face);
  if (!f) {
    f = fontkit.create(readFileSync(FILES[face]())) as fontkit.Font;
    parsed.set(face, f);
  }
  return f;
}

/**
 * Whether the face has a glyph for the code point (its cmap only; the outlines are not
 * parsed). A bold face covers what its regular face does, so only the regular cmaps are read.
 */
export function hasGlyph(face: FontFace, codePoint: number): boolean {
  return fontkitFont(face === 'cjk-bold' ? 'cjk' : face === 'latin-bold' ? 'latin' : face).hasGlyphForCodePoint(codePoint);
}

/** The Latin face's ascent as a fraction of the font size: where the baseline sits below a line's top. */
export function latinAscent(): number {
  const f = fontkitFont('latin');
  return f.ascent / f.unitsPerEm;
}

/** A piece of text set in one face. */
export interface TextRun {
  face: FontFace;
  text: string;
}

const SPACE = /\s/u;

/**
 * Splits text into runs of one face each: Latin where Noto Sans has the glyph, else the CJK
 * face where it has it, else Latin (a missing glyph shows as a box rather than vanishing).
 * White space stays in the running face, so "Łukasz 山田" is two runs, not three.
 */
export function textRuns(text: string, bold = false): TextRun[] {
  const latin: FontFace = bold ? 'latin-bold' : 'latin';
  const cjk: FontFace = bold ? 'cjk-bold' : 'cjk';
  const runs: TextRun[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const last = runs[runs.length - 1];
    let face: FontFace;
    if (SPACE.test(ch) && last) face = last.face;
    else if (hasGlyph(latin, cp)) face = latin;
    else if (hasGlyph(cjk, cp)) face = cjk;
    else face = latin;
    if (last && last.face === face) last.text += ch;
    else runs.push({ face, text: ch });
  }
  return runs;
}
