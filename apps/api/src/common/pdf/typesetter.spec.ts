import PDFDocument from 'pdfkit';
import { Typesetter } from './typesetter';

describe('Typesetter.wrap', () => {
  const t = new Typesetter(new PDFDocument({ autoFirstPage: true }), 10);
  const texts = [
    'The Lawyer shall provide the services described in this letter with due care and diligence.',
    `Document SHA-256: ${'0123456789abcdef'.repeat(4)}`,
    `User agent: Mozilla/5.0 ${'X'.repeat(300)} Safari/537.36`,
    '山田太郎さんの紹介による相談料の支払いについての説明文です。山田太郎さんの紹介による相談料の支払いについての説明文です。',
    'Łukasz Żółć, Анна Петрова, Γιώργος Παπαδόπουλος, 山田太郎, 张伟 and 김민준 signed the engagement letter today.',
  ];

  it.each([60, 120, 250])('keeps every line within %i pt and loses no character', (width) => {
    for (const text of texts) {
      const lines = t.wrap(text, width);
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines) expect(t.width(line)).toBeLessThanOrEqual(width + 0.01);
      expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    }
  });

  it('breaks at spaces when words fit, and keeps the text’s own line breaks with wrapLines', () => {
    expect(t.wrap('alpha beta gamma delta', t.width('alpha beta gamma'))).toEqual(['alpha beta gamma', 'delta']);
    expect(t.wrap('short', 100)).toEqual(['short']);
    expect(t.wrapLines('Street 1\nCity', 300)).toEqual(['Street 1', 'City']);
  });
});
