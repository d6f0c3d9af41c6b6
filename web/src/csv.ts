/**
 * CSV for spreadsheets (RFC 4180 quoting, CRLF line ends, UTF-8 with a BOM so that Excel
 * reads Cyrillic correctly).
 */

export type CsvValue = string | number | boolean | null | undefined;

/** A byte order mark: Excel needs it to read a UTF-8 file as UTF-8. */
export const UTF8_BOM = '\uFEFF';

/**
 * One cell. Quoted when it contains the delimiter, a quote, a line break or leading/trailing
 * spaces; quotes are doubled. Text that a spreadsheet would run as a formula (`=`, `+`, `-`,
 * `@`, tab, CR at the start) gets a leading apostrophe (CSV injection); numbers stay numbers.
 */
export function csvCell(value: CsvValue, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let s = value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  const needsQuotes = s.includes(delimiter) || /["\r\n]/.test(s) || /^\s|\s$/.test(s);
  return needsQuotes ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows → CSV text (CRLF between rows, one at the end), optionally with the BOM in front. */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<CsvValue>>, options: { delimiter?: string; bom?: boolean } = {}): string {
  const delimiter = options.delimiter ?? ',';
  const body = rows.map((row) => row.map((v) => csvCell(v, delimiter)).join(delimiter)).join('\r\n');
  return (options.bom ? UTF8_BOM : '') + body + (rows.length > 0 ? '\r\n' : '');
}

/**
 * The list separator spreadsheets expect for a UI language: Russian Excel splits columns on
 * `;` (the comma is the decimal separator there), English on `,`.
 */
export function csvDelimiterFor(locale: string): ',' | ';' {
  return locale.startsWith('ru') ? ';' : ',';
}

/** Starts a download of `text` as a file (browser only). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const blob = new Blob([text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
