import ExcelJS from 'exceljs';
import { spreadsheetSafe } from '../db/spreadsheet-text.ts';
import { toCsv } from '../db/writers.ts';
import { csvNumber, type CsvDialect } from '../locale/formats.ts';
import { CALL_LIST_COLUMNS } from './call-list.ts';

export type CallListRow = Record<string, unknown>;

const MONEY = new Set(['open_balance', 'overdue_balance', 'amount_at_risk', 'open_promise_amount', 'disputed_amount']);
const DECIMALS = new Set(['max_probability', 'priority_score']);
const INTEGERS = new Set(['rank', 'oldest_days_past_due']);
const DATES = new Set(['last_activity_date', 'open_promise_date', 'scheduled_date', 'as_of']);

function text(v: unknown): string {
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function columnsOf(rows: CallListRow[]): string[] {
  return rows.length ? CALL_LIST_COLUMNS.filter((c) => c in rows[0]) : [...CALL_LIST_COLUMNS];
}

/**
 * The call list as CSV for the spreadsheet of a locale: UTF-8 with BOM, its list separator and
 * decimal mark (`;` and `,` for es-CO, `,` and `.` for es-MX), CRLF line ends, no formula injection.
 *
 * @example
 *   writeFileSync('llamadas.csv', callListCsv(await wh.all('select * from call_list'), csvDialect('es-CO')));
 */
export function callListCsv(rows: CallListRow[], dialect: CsvDialect): string {
  const cols = columnsOf(rows);
  const cells = rows.map((r) =>
    cols.map((c) => {
      const v = r[c];
      if (v === null || v === undefined) return '';
      if (MONEY.has(c)) return csvNumber(String(v), dialect); // DECIMAL text, exact
      if (DECIMALS.has(c)) return csvNumber(Number(Number(v).toFixed(6)), dialect);
      if (INTEGERS.has(c) || DATES.has(c) || typeof v === 'boolean') return String(v);
      // Formulas impossible, phone numbers and ids as written (see spreadsheetSafe).
      return spreadsheetSafe(text(v));
    }),
  );
  // Cells are made safe above: toCsv's own check would escape negative amounts like "-12,50".
  return '\uFEFF' + toCsv(cols, cells, { delimiter: dialect.separator, eol: '\r\n' });
}

/** The call list as an .xlsx workbook (one sheet, typed cells with number formats). */
export async function callListXlsx(rows: CallListRow[]): Promise<Buffer> {
  const cols = columnsOf(rows);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'cartera';
  const ws = wb.addWorksheet('call_list', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = cols.map((c) => ({
    header: c,
    key: c,
    width: Math.min(40, Math.max(10, c.length + 2)),
    style: MONEY.has(c)
      ? { numFmt: '#,##0.00' }
      : c === 'max_probability'
        ? { numFmt: '0.0%' }
        : c === 'priority_score'
          ? { numFmt: '#,##0.00' }
          : DATES.has(c)
            ? { numFmt: 'yyyy-mm-dd' }
            : {},
  }));
  for (const r of rows) {
    ws.addRow(
      Object.fromEntries(
        cols.map((c) => {
          const v = r[c];
          if (v === null || v === undefined) return [c, null];
          if (MONEY.has(c) || DECIMALS.has(c) || INTEGERS.has(c)) return [c, Number(v)];
          if (DATES.has(c)) return [c, new Date(`${String(v).slice(0, 10)}T00:00:00Z`)];
          if (typeof v === 'boolean') return [c, v];
          // A string cell is text: a spreadsheet never evaluates it, so nothing is prefixed (a phone stays +52 ...).
          return [c, text(v)];
        }),
      ),
    );
  }
  ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
