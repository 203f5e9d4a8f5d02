import { hasGlyph, textRuns } from './fonts';

describe('PDF fonts', () => {
  it('Noto Sans covers Latin with diacritics, Greek and Cyrillic; no CJK', () => {
    for (const s of ['Łukasz Żółć', 'Őrs Ștefan', 'Γιώργος Παπαδόπουλος', 'Анна Петрова', 'Олександр Ґудзь', '€ № – “”'])
      expect(textRuns(s)).toEqual([{ face: 'latin', text: s }]);
    expect(hasGlyph('latin', '山'.codePointAt(0)!)).toBe(false);
  });

  it('sets CJK in the first face with the glyph: Japanese, then simplified Chinese, then Korean', () => {
    expect(textRuns('山田太郎')).toEqual([{ face: 'jp', text: '山田太郎' }]);
    // 张 is a simplified form the Japanese face lacks; 伟 too.
    expect(hasGlyph('jp', '张'.codePointAt(0)!)).toBe(false);
    expect(textRuns('张伟')).toEqual([{ face: 'sc', text: '张伟' }]);
    expect(textRuns('김민준', true)).toEqual([{ face: 'kr-bold', text: '김민준' }]);
    expect(textRuns('Client: 山田太郎, 김민준 (Seoul)')).toEqual([
      { face: 'latin', text: 'Client: ' },
      { face: 'jp', text: '山田太郎' },
      { face: 'latin', text: ', ' },
      { face: 'kr', text: '김민준 ' },
      { face: 'latin', text: '(Seoul)' },
    ]);
  });

  it('falls back to the Latin face (a visible box) for a character no face has', () => {
    expect(textRuns('\u{1F600}')).toEqual([{ face: 'latin', text: '\u{1F600}' }]);
  });
});
