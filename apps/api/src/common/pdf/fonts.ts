import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

/**
 * The fonts embedded in the PDFs the API renders (statements, contracts), shipped as npm
 * packages (no system fonts, so a fresh `npm ci` renders the same file everywhere), all from
 * the Noto family so the scripts look alike side by side:
 * - Noto Sans: Latin with diacritics ("Łukasz Żółć"), Greek ("Γιώργος"), Cyrillic ("Анна");
 * - Noto Sans JP: Japanese and the ideographs Chinese shares with it ("山田太郎");
 * - Noto Sans SC (Hans): simplified Chinese forms the JP font lacks ("张伟");
 * - Noto Sans KR: Korean Hangul ("김민준"), which no other face has.
 * No face covers all, so every text run is set in the first face of that order that has its
 * glyphs. pdfkit embeds only the glyphs used (a subset with a ToUnicode map, so the text can
 * be searched and copied), and a face is read only when a document needs it.
 */
export type Script = 'latin' | 'jp' | 'sc' | 'kr';
export type FontFace = Script | `${Script}-bold`;

/** The order faces are tried in for a character (see `textRuns`). */
const FALLBACK: readonly Script[] = ['latin', 'jp', 'sc', 'kr'];

function fontsDir(pkg: string): string {
  // The packages export only a list of file names; their fonts/ folder sits beside dist/.
  return join(dirname(require.resolve(pkg)), '..', 'fonts');
}

const FILES: Record<FontFace, () => string> = {
  latin: () => join(fontsDir('@embedpdf/fonts-latin'), 'NotoSans-Regular.ttf'),
  'latin-bold': () => join(fontsDir('@embedpdf/fonts-latin'), 'NotoSans-Bold.ttf'),
  jp: () => join(fontsDir('@embedpdf/fonts-jp'), 'NotoSansJP-Regular.otf'),
  'jp-bold': () => join(fontsDir('@embedpdf/fonts-jp'), 'NotoSansJP-Bold.otf'),
  sc: () => join(fontsDir('@embedpdf/fonts-sc'), 'NotoSansHans-Regular.otf'),
  'sc-bold': () => join(fontsDir('@embedpdf/fonts-sc'), 'NotoSansHans-Bold.otf'),
  kr: () => join(fontsDir('@embedpdf/fonts-kr'), 'NotoSansKR-Regular.otf'),
  'kr-bold': () => join(fontsDir('@embedpdf/fonts-kr'), 'NotoSansKR-Bold.otf'),
};

const parsed = new Map<FontFace, fontkit.Font>();

/**
 * The face parsed by fontkit, once per process. pdfkit accepts a fontkit font as a font source
 * and would otherwise parse the file again for every document, and re-decode its OpenType
 * layout tables (GSUB/GPOS) on the first line of text: ~100 ms of CPU per face and document.
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

function scriptOf(face: FontFace): Script {
  return face.replace(/-bold$/, '') as Script;
}

/**
 * Whether the face has a glyph for the code point (its cmap only; the outlines are not
 * parsed). A bold face covers what its regular face does, so only the regular cmaps are read.
 */
export function hasGlyph(face: FontFace, codePoint: number): boolean {
  return fontkitFont(scriptOf(face)).hasGlyphForCodePoint(codePoint);
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
 * Splits text into runs of one face each: the first face of the fallback order (Latin, JP, SC,
 * KR) that has the character's glyph, else Latin (a missing glyph shows as a box rather than
 * vanishing). White space stays in the running face, so "Łukasz 山田" is two runs, not three.
 */
export function textRuns(text: string, bold = false): TextRun[] {
  const face = (s: Script): FontFace => (bold ? `${s}-bold` : s);
  const runs: TextRun[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const last = runs[runs.length - 1];
    let chosen: FontFace;
    if (SPACE.test(ch) && last) chosen = last.face;
    else chosen = face(FALLBACK.find((s) => hasGlyph(s, cp)) ?? 'latin');
    if (last && last.face === chosen) last.text += ch;
    else runs.push({ face: chosen, text: ch });
  }
  return runs;
}
