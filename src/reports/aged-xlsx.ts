import ExcelJS from 'exceljs';
import { formatsFor, minorDigits } from '../locale/formats.ts';
import type { StatementLocale } from '../statements/index.ts';
import type { AgedLine, AgedReport } from './aged.ts';
import { filtersLine } from './aged-layout.ts';
import { REPORT_LABELS } from './labels.ts';

/** The header's row: a title row and a line of as-of, currency and filters above it. */
const HEADER_ROW = 3;
/** Columns before the buckets: customer no., customer, currency. */
const LEADING = 3;

/** Excel's number format of a currency's amounts: its decimals and its code, read the same in any Excel locale. */
const moneyFormat = (currency: string) => `#,##0${minorDigits(currency) ? '.00' : ''} "${currency}";-#,##0${minorDigits(currency) ? '.00' : ''} "${currency}"`;

const column = (n: number) => String.fromCharCode(64 + n);

/**
 * The aged receivables report as an .xlsx workbook: a title row with the as-of and currency,
 * a frozen header, numeric cells in each currency's number format, one totals row per currency
 * (SUM formulas, with their values), and print setup (landscape, one page wide, header repeated).
 */
export async function agedXlsx(report: AgedReport, locale: StatementLocale): Promise<Buffer> {
  const t = REPORT_LABELS[locale.lang];
  const f = formatsFor(locale.tag);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'cartera';
  wb.created = new Date(`${report.asOf}T00:00:00Z`);
  const ws = wb.addWorksheet(t.sheet, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: HEADER_ROW }],
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.pageSetup.printTitlesRow = `${HEADER_ROW}:${HEADER_ROW}`;
  const headers = [t.customerId, t.customer, t.currencyColumn, ...report.buckets.map(t.bucket), t.total];
  ws.columns = headers.map((_, i) => ({ width: i === 1 ? 36 : i < LEADING ? 14 : 16 }));
  ws.getCell('A1').value = `${t.agedTitle} — ${t.asOf(f.date(report.asOf))} — ${report.currency ?? t.documentCurrency}`;
  ws.getCell('A1').font = { bold: true, size: 14 };
  ws.getCell('A2').value = [report.currency ? t.inCurrency(report.currency) : '', filtersLine(report, locale)].filter(Boolean).join(' · ');
  const header = ws.getRow(HEADER_ROW);
  header.values = headers;
  header.font = { bold: true };
  header.alignment = { horizontal: 'center', wrapText: true };
  for (const g of report.groups) {
    const first = ws.rowCount + 1;
    const money = (l: AgedLine) => [...l.amounts, l.total].map(Number);
    // A row's number format reaches its text cells too, where it changes nothing.
    for (const l of g.lines) ws.addRow([l.customerId, l.customerName, g.currency, ...money(l)]).numFmt = moneyFormat(g.currency);
    const last = ws.rowCount;
    const totals = money(g.total).map((result, i) => {
      const col = column(LEADING + 1 + i);
      return last >= first ? { formula: `SUM(${col}${first}:${col}${last})`, result } : result;
    });
    const row = ws.addRow([t.totalOf(g.currency), null, g.currency, ...totals]);
    row.numFmt = moneyFormat(g.currency);
    row.font = { bold: true };
    row.border = { top: { style: 'thin' } };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
