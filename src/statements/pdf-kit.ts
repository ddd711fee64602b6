import PDFDocument from 'pdfkit';
import type { Table } from './layout.ts';

/**
 * The drawing kit of Cartera's PDFs (statements, reports): real text in the standard fonts,
 * tables of laid-out cells that repeat their header across pages, numbered page feet.
 */
export type Doc = PDFKit.PDFDocument;

export const MARGIN = 48;
export const BODY = 8.5;
export const ROW = 13;
export const REGULAR = 'Helvetica';
export const BOLD = 'Helvetica-Bold';

/**
 * The standard PDF fonts encode WinAnsi: accents, ñ, ¿, €, curly quotes and dashes are in it; the
 * spaces and signs Intl puts in some numbers are not, and are drawn as their plain kin.
 */
export const winAnsi = (s: string) => s.replace(/[\u00a0\u2007\u2009\u202f]/g, ' ').replace(/[\u2011\u2212]/g, '-');

/** Room for `height` more points on this page, or a new page. Returns whether a page was added. */
export function ensureRoom(doc: Doc, height: number): boolean {
  if (doc.y + height <= doc.page.height - MARGIN - ROW) return false;
  doc.addPage();
  return true;
}

/** Each column's width in points: the columns' shares of the page's width. */
function widths(doc: Doc, t: Table): number[] {
  const share = t.columns.reduce((s, c) => s + c.width, 0);
  return t.columns.map((c) => (c.width / share) * (doc.page.width - 2 * MARGIN));
}

/**
 * The height a row needs: text (left-aligned cells) wraps within its column, whole, since a name cut
 * with an ellipsis can read as another one's; figures stay on one line.
 */
function rowHeight(doc: Doc, t: Table, cells: string[], font: string): number {
  doc.font(font).fontSize(BODY);
  const w = widths(doc, t);
  const line = doc.heightOfString('X');
  const tallest = Math.max(line, ...cells.map((cell, i) => (t.columns[i].align === 'right' ? line : doc.heightOfString(winAnsi(cell), { width: w[i] - 4 }))));
  return ROW + tallest - line;
}

function row(doc: Doc, t: Table, cells: string[], font: string, height: number): void {
  const w = widths(doc, t);
  const y = doc.y;
  let x = MARGIN;
  doc.font(font).fontSize(BODY);
  cells.forEach((cell, i) => {
    const right = t.columns[i].align === 'right';
    const text = winAnsi(cell);
    // An amount cut short would be a wrong amount: right-aligned cells (figures) shrink to fit their one line.
    if (right) doc.fontSize(Math.max(5, Math.min(BODY, (BODY * (w[i] - 4)) / doc.widthOfString(text))));
    doc.text(text, x + 2, y, { width: w[i] - 4, align: t.columns[i].align, lineBreak: !right });
    doc.fontSize(BODY);
    x += w[i];
  });
  const width = doc.page.width - 2 * MARGIN;
  doc.moveTo(MARGIN, y + height - 3).lineTo(MARGIN + width, y + height - 3).lineWidth(0.3).strokeColor('#bbbbbb').stroke();
  doc.x = MARGIN;
  doc.y = y + height;
}

/** Draws a row, on a new page (its header first) when it does not fit on this one. */
function fittedRow(doc: Doc, t: Table, cells: string[], font: string, header: () => void): void {
  const height = rowHeight(doc, t, cells, font);
  if (ensureRoom(doc, height)) header();
  row(doc, t, cells, font, height);
}

/** A titled table across the page's width: header, rows (the header again atop each new page), a bold total. */
export function drawTable(doc: Doc, t: Table): void {
  ensureRoom(doc, 3 * ROW);
  doc.moveDown(0.6).font(BOLD).fontSize(10).text(winAnsi(t.title), MARGIN, doc.y).moveDown(0.3);
  const labels = t.columns.map((c) => c.label);
  const header = () => row(doc, t, labels, BOLD, rowHeight(doc, t, labels, BOLD));
  header();
  if (!t.rows.length) {
    doc.font(REGULAR).fontSize(BODY).fillColor('#555555').text(winAnsi(t.empty), MARGIN + 2, doc.y).fillColor('black');
    return;
  }
  for (const r of t.rows) fittedRow(doc, t, r, REGULAR, header);
  if (t.total) fittedRow(doc, t, t.total, BOLD, header);
}

/** Writes `text(n, of)` at the foot of every page ("Página 1 de 2"), once all pages exist. */
export function pageFeet(doc: Doc, text: (n: number, of: number) => string): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would start a new page: lift the margin while writing there.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(REGULAR).fontSize(7.5).fillColor('#555555');
    doc.text(winAnsi(text(i - start + 1, count)), MARGIN, doc.page.height - MARGIN + 14, {
      width: doc.page.width - 2 * MARGIN,
      align: 'right',
      lineBreak: false,
    });
    doc.fillColor('black');
    doc.page.margins.bottom = bottom;
  }
}

/**
 * A new Letter-size document with buffered pages (for `pageFeet`), and the promise of its bytes once
 * `doc.end()` is called.
 */
export function newPdf(opts: { title: string; author: string; created: Date; layout?: 'portrait' | 'landscape' }): { doc: Doc; bytes: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'LETTER',
    layout: opts.layout ?? 'portrait',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: winAnsi(opts.title), Author: winAnsi(opts.author), Creator: 'Cartera', CreationDate: opts.created },
  });
  const chunks: Buffer[] = [];
  const bytes = new Promise<Buffer>((ok, fail) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => ok(Buffer.concat(chunks)));
    doc.on('error', fail);
  });
  return { doc, bytes };
}
