import { defuse } from './defuse';

describe('defuse (CSV formula injection)', () => {
  it('prefixes text a spreadsheet would run as a formula', () => {
    for (const cell of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tTAB', '\rCR', '=HYPERLINK("http://x")', '-', '+'])
      expect(defuse(cell)).toBe(`'${cell}`);
  });

  it('leaves plain numbers and ordinary text alone', () => {
    for (const cell of ['-12.00', '+3', '1500', '0.5', '-7', 'Łukasz Żółć', '山田太郎', 'a=b', '', 'ACME-1'])
      expect(defuse(cell)).toBe(cell);
  });

  it('still prefixes what only looks like a number at first', () => {
    expect(defuse('-12.00+cmd')).toBe("'-12.00+cmd");
    expect(defuse('-1e3')).toBe("'-1e3");
    expect(defuse('+1.')).toBe("'+1.");
  });
});
