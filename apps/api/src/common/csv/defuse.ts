/** A number as we write it in exports: optional sign, digits, optional decimals ("-12.00", "+3", "1500"). */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * A spreadsheet opens a cell that starts with = + - @ (or a tab / carriage return) as a
 * formula; names, titles and references are typed by people, so such text gets a leading
 * apostrophe (OWASP's CSV-injection advice). A plain number ("-12.00") is data, not a formula,
 * and stays as it is so the column still sums.
 */
export function defuse(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}
