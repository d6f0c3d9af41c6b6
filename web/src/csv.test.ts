import { describe, expect, it } from 'vitest';
import { csvCell, csvDelimiterFor, toCsv, UTF8_BOM } from './csv';

describe('csvCell', () => {
  it('leaves plain values alone', () => {
    expect(csvCell('staff.invite')).toBe('staff.invite');
    expect(csvCell('Ольга Владелец')).toBe('Ольга Владелец');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('quotes delimiters, quotes and line breaks, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a;b')).toBe('a;b');
    expect(csvCell('a;b', ';')).toBe('"a;b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('{"before":{"name":"A"},"after":{"name":"B"}}')).toBe('"{""before"":{""name"":""A""},""after"":{""name"":""B""}}"');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('line 1\r\nline 2')).toBe('"line 1\r\nline 2"');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell('')).toBe('');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvCell('+79161234567')).toBe("'+79161234567");
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
  });
});

describe('toCsv', () => {
  it('joins rows with CRLF, ends with CRLF and puts the BOM first', () => {
    const text = toCsv(
      [
        ['when', 'who', 'what'],
        ['2026-11-21T10:00:00Z', 'Иван, кассир', 'check.process'],
      ],
      { bom: true },
    );
    expect(text).toBe(`${UTF8_BOM}when,who,what\r\n2026-11-21T10:00:00Z,"Иван, кассир",check.process\r\n`);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    // UTF-8 bytes of the BOM: EF BB BF
    expect([...new TextEncoder().encode(text).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('uses the delimiter it is given', () => {
    expect(toCsv([['a;1', 'b,2']], { delimiter: ';' })).toBe('"a;1";b,2\r\n');
    expect(toCsv([])).toBe('');
  });

  it('picks the delimiter Excel expects for the UI language', () => {
    expect(csvDelimiterFor('ru')).toBe(';');
    expect(csvDelimiterFor('en')).toBe(',');
  });
});
