/**
 * Workbooks written part by part, as other writers lay them out (openpyxl and pandas: absolute
 * relationship targets; LibreOffice and others: their own part names and order), with cells ExcelJS
 * cannot write: formulas without a saved result, shared formulas, error values, inline strings.
 */
import JSZip from 'jszip';

/** A cell: text, a number, empty, or a formula with its saved result (`v`, absent when never calculated). */
export type RawCell = string | number | null | { f: string; v?: string | number; t?: 'str' | 'e' | 'b'; shared?: boolean } | { error: string };

export interface RawSheet {
  name: string;
  state?: 'visible' | 'hidden' | 'veryHidden';
  /** Part name under xl/ (default worksheets/sheetN.xml in workbook order). */
  part?: string;
  rows: RawCell[][];
}

export interface RawBookOptions {
  /** How relationships name the sheet parts: '/xl/worksheets/x.xml' (openpyxl) or 'worksheets/x.xml'. */
  targets?: 'absolute' | 'relative';
  /** Relationship ids in reverse order of the sheets (writers number them as they like). */
  shuffleIds?: boolean;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const colName = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : colName(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));

function cellXml(ref: string, cell: RawCell, strings: string[]): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return `<c r="${ref}"><v>${cell}</v></c>`;
  if (typeof cell === 'string') {
    // Text alternates between shared strings and inline strings, as writers differ (an inline
    // string takes an unused slot of the shared table, so the alternation stays simple).
    if (strings.length % 2 === 0) {
      strings.push(cell);
      return `<c r="${ref}" t="s"><v>${strings.length - 1}</v></c>`;
    }
    strings.push('');
    return `<c r="${ref}" t="inlineStr"><is><t>${esc(cell)}</t></is></c>`;
  }
  if ('error' in cell) return `<c r="${ref}" t="e"><v>${esc(cell.error)}</v></c>`;
  const t = cell.t ? ` t="${cell.t}"` : '';
  const f = cell.shared ? `<f t="shared" ref="${ref}" si="0">${esc(cell.f)}</f>` : `<f>${esc(cell.f)}</f>`;
  return `<c r="${ref}"${t}>${f}${cell.v !== undefined ? `<v>${esc(String(cell.v))}</v>` : ''}</c>`;
}

/** The bytes of an .xlsx holding these sheets, laid out as `opts` says. */
export async function rawWorkbook(sheets: RawSheet[], opts: RawBookOptions = {}): Promise<Buffer> {
  const zip = new JSZip();
  const strings: string[] = [];
  const parts = sheets.map((s, i) => s.part ?? `worksheets/sheet${i + 1}.xml`);
  const ids = sheets.map((_, i) => `rId${opts.shuffleIds ? sheets.length - i + 1 : i + 1}`);
  const target = (p: string) => (opts.targets === 'absolute' ? `/xl/${p}` : p);
  sheets.forEach((s, i) => {
    const rows = s.rows.map((r, ri) => `<row r="${ri + 1}">${r.map((c, ci) => cellXml(`${colName(ci)}${ri + 1}`, c, strings)).join('')}</row>`).join('');
    zip.file(
      `xl/${parts[i]}`,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`,
    );
  });
  zip.file(
    'xl/sharedStrings.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}">${strings.map((s) => `<si><t>${esc(s)}</t></si>`).join('')}</sst>`,
  );
  zip.file(
    'xl/workbook.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets
      .map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="${ids[i]}"/>`)
      .join('')}</sheets></workbook>`,
  );
  zip.file(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
      .map((_, i) => `<Relationship Id="${ids[i]}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="${target(parts[i])}"/>`)
      .join('')}<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="${target('sharedStrings.xml')}"/></Relationships>`,
  );
  zip.file(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${parts
      .map((p) => `<Override PartName="/xl/${p}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`)
      .join('')}</Types>`,
  );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
