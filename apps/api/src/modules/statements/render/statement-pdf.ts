import PDFDocument from 'pdfkit';
import {
  ACCOUNT_LABEL,
  instantInZone,
  kindLabel,
  periodLabel,
  ROLE_LABEL,
  statementMoney,
  timeInZone,
  type StatementDocument,
} from './statement-document';
import { Typesetter, type Align } from '../../../common/pdf/typesetter';

const PAGE = { width: 595.28, height: 841.89 }; // A4 in points
const MARGIN = { left: 48, right: 48, top: 48, bottom: 72 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BODY = 9;
const LINE = 12; // line height of body text
const CELL_PAD = 4;
const MAX_CELL_LINES = 30; // a row never outgrows a page
const GREY = '#555555';
const RULE = '#999999';
const SHADE = '#f2f2f2';

interface Column {
  key: 'date' | 'time' | 'type' | 'description' | 'amount' | 'balance';
  title: string;
  width: number;
  align: Align;
}

const FIXED = { date: 62, time: 34, type: 76, amount: 84, balance: 84 };
const COLUMNS: Column[] = [
  { key: 'date', title: 'Date', width: FIXED.date, align: 'left' },
  { key: 'time', title: 'Time', width: FIXED.time, align: 'left' },
  { key: 'type', title: 'Type', width: FIXED.type, align: 'left' },
  {
    key: 'description',
    title: 'Description',
    width: CONTENT_WIDTH - FIXED.date - FIXED.time - FIXED.type - FIXED.amount - FIXED.balance,
    align: 'left',
  },
  { key: 'amount', title: 'Amount', width: FIXED.amount, align: 'right' },
  { key: 'balance', title: 'Balance', width: FIXED.balance, align: 'right' },
];

type Row = Record<Column['key'], string> & { bold?: boolean; shade?: boolean };

/**
 * Renders a statement as an A4 PDF: title, number, payee, role, account, period and currency,
 * opening balance, every line with its running balance, closing balance, issue time, page
 * numbers and how to verify the file on every page. Fonts are embedded (subsets), so names in
 * Latin, Greek, Cyrillic or CJK scripts render on every reader. The metadata dates are the issue time,
 * so the same statement renders the same bytes (pdfkit derives the file ID from them too).
 * The result is pdfkit's readable stream, ended.
 */
export function statementPdf(s: StatementDocument): PDFKit.PDFDocument {
  const period = periodLabel(s.periodStart);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: 'en',
    displayTitle: true,
    info: {
      Title: `Statement ${s.number}`,
      Subject: `${ROLE_LABEL[s.payeeRole]} statement, ${period}, ${s.currency}`,
      Author: 'LexMarket',
      Creator: 'LexMarket statements',
      CreationDate: s.issuedAt,
      ModDate: s.issuedAt,
    },
  });
  const t = new Typesetter(doc, BODY);
  const money = (minor: number) => statementMoney(minor, s.currency);
  const bottom = PAGE.height - MARGIN.bottom;
  let y = MARGIN.top;

  // ---- first page header
  t.line('Statement', MARGIN.left, y, { size: 20, bold: true });
  t.line(s.number, MARGIN.left, y + 2, { size: 12, bold: true, width: CONTENT_WIDTH, align: 'right' });
  t.line(`Issued ${instantInZone(s.issuedAt, s.zone)}`, MARGIN.left, y + 18, {
    width: CONTENT_WIDTH,
    align: 'right',
    color: GREY,
  });
  y += 36;
  doc
    .moveTo(MARGIN.left, y)
    .lineTo(PAGE.width - MARGIN.right, y)
    .lineWidth(0.5)
    .strokeColor(RULE)
    .stroke();
  y += 10;

  const labelWidth = 80;
  const field = (label: string, value: string, bold = false) => {
    const lines = t.wrap(value, CONTENT_WIDTH - labelWidth, 10, bold);
    t.line(label, MARGIN.left, y, { size: 10, color: GREY });
    for (const l of lines) {
      t.line(l, MARGIN.left + labelWidth, y, { size: 10, bold });
      y += 14;
    }
  };
  field('Payee', s.payeeName, true);
  field('Role', ROLE_LABEL[s.payeeRole]);
  field('Account', ACCOUNT_LABEL[s.account]);
  field('Period', `${period}: ${s.periodStart} to ${s.periodEnd} (${s.zone})`);
  field('Currency', s.currency);
  if (s.supersedes) field('Supersedes', `${s.supersedes.number}. Reason: ${s.supersedes.reason}`);
  y += 8;

  // ---- summary
  const credits = s.lines.filter((l) => l.amountMinor > 0).reduce((a, l) => a + l.amountMinor, 0);
  const debits = s.lines.filter((l) => l.amountMinor < 0).reduce((a, l) => a + l.amountMinor, 0);
  const summary: [string, string, boolean][] = [
    ['Opening balance', money(s.openingMinor), false],
    [`Increases (${s.lines.filter((l) => l.amountMinor > 0).length} lines)`, money(credits), false],
    [`Decreases (${s.lines.filter((l) => l.amountMinor < 0).length} lines)`, money(debits), false],
    ['Closing balance (owed to you)', money(s.closingMinor), true],
  ];
  const boxWidth = 260;
  const boxX = PAGE.width - MARGIN.right - boxWidth;
  doc
    .rect(boxX, y, boxWidth, summary.length * 15 + 8)
    .fillColor(SHADE)
    .fill();
  let sy = y + 5;
  for (const [label, value, bold] of summary) {
    t.line(label, boxX + 8, sy, { size: 10, bold });
    t.line(value, boxX + 8, sy, { size: 10, bold, width: boxWidth - 16, align: 'right' });
    sy += 15;
  }
  y = sy + 16;

  // ---- table
  const header = () => {
    let x = MARGIN.left;
    for (const c of COLUMNS) {
      t.line(c.title, x + CELL_PAD, y, { bold: true, width: c.width - 2 * CELL_PAD, align: c.align });
      x += c.width;
    }
    y += LINE + 2;
    doc
      .moveTo(MARGIN.left, y)
      .lineTo(PAGE.width - MARGIN.right, y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    y += 3;
  };
  const continuationHeader = () => {
    t.line(`Statement ${s.number}`, MARGIN.left, y, { size: 10, bold: true });
    t.line(`${s.payeeName} · ${period} · ${s.currency}`, MARGIN.left, y, {
      size: 10,
      width: CONTENT_WIDTH,
      align: 'right',
      color: GREY,
    });
    y += 24;
  };
  const row = (r: Row) => {
    const cells = COLUMNS.map((c) =>
      c.key === 'description' ? t.wrap(r[c.key], c.width - 2 * CELL_PAD, BODY, r.bold).slice(0, MAX_CELL_LINES) : [r[c.key]],
    );
    const height = Math.max(...cells.map((c) => c.length)) * LINE + 2;
    if (y + height > bottom) {
      doc.addPage();
      y = MARGIN.top;
      continuationHeader();
      header();
    }
    if (r.shade)
      doc
        .rect(MARGIN.left, y - 1, CONTENT_WIDTH, height)
        .fillColor(SHADE)
        .fill();
    let x = MARGIN.left;
    COLUMNS.forEach((c, i) => {
      cells[i]!.forEach((text, n) =>
        t.line(text, x + CELL_PAD, y + n * LINE, { bold: r.bold, width: c.width - 2 * CELL_PAD, align: c.align }),
      );
      x += c.width;
    });
    y += height;
  };

  header();
  row({
    date: s.periodStart,
    time: '',
    type: '',
    description: 'Opening balance',
    amount: '',
    balance: money(s.openingMinor),
    bold: true,
  });
  s.lines.forEach((l, i) =>
    row({
      date: l.localDay,
      time: timeInZone(l.postedAt, s.zone),
      type: kindLabel(l.kind),
      description: l.description || kindLabel(l.kind),
      amount: money(l.amountMinor),
      balance: money(l.balanceMinor),
      shade: i % 2 === 0,
    }),
  );
  if (s.lines.length === 0)
    row({ date: '', time: '', type: '', description: 'No ledger lines in this period.', amount: '', balance: '' });
  doc
    .moveTo(MARGIN.left, y)
    .lineTo(PAGE.width - MARGIN.right, y)
    .lineWidth(0.5)
    .strokeColor(RULE)
    .stroke();
  y += 3;
  row({
    date: s.periodEnd,
    time: '',
    type: '',
    description: 'Closing balance',
    amount: '',
    balance: money(s.closingMinor),
    bold: true,
  });

  // ---- footer on every page (pages are buffered until now so "of N" is known)
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0; // writing below the bottom margin must not start a new page
    const fy = PAGE.height - MARGIN.bottom + 16;
    doc
      .moveTo(MARGIN.left, fy - 6)
      .lineTo(PAGE.width - MARGIN.right, fy - 6)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    t.line(`${s.number} · ${period} · ${s.currency}`, MARGIN.left, fy, { size: 8, color: GREY });
    t.line(`Page ${i - range.start + 1} of ${range.count}`, MARGIN.left, fy, {
      size: 8,
      width: CONTENT_WIDTH,
      align: 'right',
      color: GREY,
    });
    t.line(
      `Verify this file: its SHA-256 (e.g. "sha256sum ${s.number}.pdf") must equal the pdfSha256 of the statement's`,
      MARGIN.left,
      fy + 11,
      { size: 8, color: GREY },
    );
    t.line(
      '"statement.issued" or "statement.reissued" entry in the audit trail. Amounts: + increases, − decreases what is owed to you.',
      MARGIN.left,
      fy + 21,
      {
        size: 8,
        color: GREY,
      },
    );
  }
  doc.end();
  return doc;
}
