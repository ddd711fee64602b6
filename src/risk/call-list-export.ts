import ExcelJS from 'exceljs';
import { spreadsheetSafe } from '../db/spreadsheet-text.ts';
import { toCsv } from '../db/writers.ts';
import { csvDialect, csvNumber, formatsFor } from '../locale/formats.ts';
import { describeReasons } from '../locale/reasons.ts';
import { ACTIONS } from './actions.ts';
import { CALL_LIST_COLUMNS } from './call-list.ts';

export type CallListRow = Record<string, unknown>;

const MONEY = new Set(['open_balance', 'overdue_balance', 'amount_at_risk', 'open_promise_amount', 'disputed_amount']);
const DECIMALS = new Set(['max_probability', 'priority_score']);
const INTEGERS = new Set(['rank', 'oldest_days_past_due']);
const DATES = new Set(['last_activity_date', 'open_promise_date', 'scheduled_date', 'as_of']);

function text(v: unknown): string {
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * The columns of an export people read: the call list's, with the reasons and the suggested
 * action in words of one language (`reasons_text`, `suggested_action_text`) in place of the
 * values behind the reasons and the action's label in each language.
 */
const EXPORT_COLUMNS = CALL_LIST_COLUMNS.flatMap((c): string[] =>
  c === 'reason_values' ? ['reasons_text'] : c === 'suggested_action_es' ? ['suggested_action_text'] : c === 'suggested_action_en' ? [] : [c],
);
const WORDS = new Set(['reasons_text', 'suggested_action_text']);

function columnsOf(rows: CallListRow[]): string[] {
  return rows.length ? EXPORT_COLUMNS.filter((c) => c in rows[0] || WORDS.has(c)) : EXPORT_COLUMNS;
}

/** The rows with their reasons and action in the words and formats of `locale` (amounts in `currency`). */
export function inWords(rows: CallListRow[], locale: string, currency: string): CallListRow[] {
  const f = formatsFor(locale);
  return rows.map((r) => ({
    ...r,
    reasons_text: describeReasons(f, r.reasons as string, r.reason_values as number[], currency),
    suggested_action_text: ACTIONS[String(r.suggested_action)]?.[f.lang] ?? r.suggested_action,
  }));
}

/**
 * The call list as CSV for the spreadsheet of a locale: UTF-8 with BOM, its list separator and
 * decimal mark (`;` and `,` for es-CO, `,` and `.` for es-MX), CRLF line ends, no formula injection;
 * reasons and actions in the locale's language, amounts in them in `currency`.
 *
 * @example
 *   writeFileSync('llamadas.csv', callListCsv(await wh.all('select * from call_list'), 'es-CO', 'COP'));
 */
export function callListCsv(rows: CallListRow[], locale: string, currency: string): string {
  const dialect = csvDialect(locale);
  const cols = columnsOf(rows);
  const cells = inWords(rows, locale, currency).map((r) =>
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

/** The call list as an .xlsx workbook (one sheet, typed cells with number formats; words in `locale`'s language). */
export async function callListXlsx(rows: CallListRow[], locale: string, currency: string): Promise<Buffer> {
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
  for (const r of inWords(rows, locale, currency)) {
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
