import ExcelJS from 'exceljs';
import type { Warehouse } from '../../db/warehouse.ts';
import { stageFromRows } from './ndjson-stage.ts';
import type { Stage } from './stage.ts';

/** Text of one cell as an export would have written it: dates as ISO, numbers plain, formulas by result. */
export function cellText(v: ExcelJS.CellValue): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    if ('result' in v) return cellText((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('richText' in v) return (v as ExcelJS.CellRichTextValue).richText.map((t) => t.text).join('');
    if ('text' in v) return String((v as ExcelJS.CellHyperlinkValue).text);
    if ('error' in v) return null;
  }
  return String(v);
}

/**
 * Loads every sheet of a workbook (or the named one) into text stages, one per sheet. The header is
 * the first non-empty row; line numbers are the sheet's own row numbers.
 */
export async function readXlsx(wh: Warehouse, path: string, sheetName?: string): Promise<Stage[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const stages: Stage[] = [];
  for (const ws of wb.worksheets) {
    if (sheetName && ws.name !== sheetName) continue;
    let headers: string[] | undefined;
    const rows: { line: number; cells: (string | null)[] }[] = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
      if (!headers) {
        headers = dedupe(values.map((v, i) => (v ?? '').trim() || `column${i + 1}`));
        return;
      }
      if (values.every((v) => v === null || v.trim() === '')) return;
      rows.push({ line: rowNumber, cells: values });
    });
    if (!headers) continue;
    const table = await stageFromRows(wh, headers, rows);
    stages.push({ table, headers, lineExpr: '__line', lineKind: 'row', format: 'xlsx', sheet: ws.name, malformed: [], dialect: { sheet: ws.name } });
  }
  return stages;
}

function dedupe(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = seen.get(n) ?? 0;
    seen.set(n, k + 1);
    return k ? `${n}_${k}` : n;
  });
}
