import PDFDocument from 'pdfkit';
import type { Layout, Table } from './layout.ts';

type Doc = PDFKit.PDFDocument;

const MARGIN = 48;
const BODY = 8.5;
const ROW = 13;
const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';

/**
 * The standard PDF fonts encode WinAnsi: accents, ñ, ¿, €, curly quotes and dashes are in it; the
 * spaces and signs Intl puts in some numbers are not, and are drawn as their plain kin.
 */
const winAnsi = (s: string) => s.replace(/[\u00a0\u2007\u2009\u202f]/g, ' ').replace(/[\u2011\u2212]/g, '-');

/** `s` cut with an ellipsis to fit `width` points in the current font. */
function fit(doc: Doc, s: string, width: number): string {
  if (doc.widthOfString(s) <= width) return s;
  let cut = s;
  while (cut.length > 1 && doc.widthOfString(`${cut}…`) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Room for `height` more points on this page, or a new page. Returns whether a page was added. */
function ensureRoom(doc: Doc, height: number): boolean {
  if (doc.y + height <= doc.page.height - MARGIN - ROW) return false;
  doc.addPage();
  return true;
}

function row(doc: Doc, t: Table, cells: string[], font: string): void {
  const width = doc.page.width - 2 * MARGIN;
  const share = t.columns.reduce((s, c) => s + c.width, 0);
  const y = doc.y;
  let x = MARGIN;
  doc.font(font).fontSize(BODY);
  cells.forEach((cell, i) => {
    const w = (t.columns[i].width / share) * width;
    doc.text(fit(doc, winAnsi(cell), w - 4), x + 2, y, { width: w - 4, align: t.columns[i].align, lineBreak: false });
    x += w;
  });
  doc.moveTo(MARGIN, y + ROW - 3).lineTo(MARGIN + width, y + ROW - 3).lineWidth(0.3).strokeColor('#bbbbbb').stroke();
  doc.x = MARGIN;
  doc.y = y + ROW;
}

function table(doc: Doc, t: Table): void {
  ensureRoom(doc, 3 * ROW);
  doc.moveDown(0.6).font(BOLD).fontSize(10).text(winAnsi(t.title), MARGIN, doc.y).moveDown(0.3);
  const header = () => row(doc, t, t.columns.map((c) => c.label), BOLD);
  header();
  if (!t.rows.length) {
    doc.font(REGULAR).fontSize(BODY).fillColor('#555555').text(winAnsi(t.empty), MARGIN + 2, doc.y).fillColor('black');
    return;
  }
  for (const r of t.rows) {
    // A table that runs over a page repeats its header on the next.
    if (ensureRoom(doc, ROW)) header();
    row(doc, t, r, REGULAR);
  }
  if (t.total) {
    ensureRoom(doc, ROW);
    row(doc, t, t.total, BOLD);
  }
}

function head(doc: Doc, l: Layout): void {
  const width = doc.page.width - 2 * MARGIN;
  const top = doc.y;
  doc.font(BOLD).fontSize(18).text(winAnsi(l.title), MARGIN, top, { width: width / 2 });
  doc.font(REGULAR).fontSize(11).text(winAnsi(l.asOf), { width: width / 2 });
  const leftBottom = doc.y;
  const [name, ...lines] = l.seller;
  if (name) {
    doc.font(BOLD).fontSize(10).text(winAnsi(name), MARGIN + width / 2, top, { width: width / 2, align: 'right' });
    doc.font(REGULAR).fontSize(BODY);
    for (const s of lines) doc.text(winAnsi(s), { width: width / 2, align: 'right' });
  }
  doc.y = Math.max(leftBottom, doc.y) + 6;
  doc.moveTo(MARGIN, doc.y).lineTo(MARGIN + width, doc.y).lineWidth(1).strokeColor('black').stroke();
  doc.x = MARGIN;
  doc.moveDown(0.8).font(BOLD).fontSize(11).text(winAnsi(l.customer.name), MARGIN, doc.y);
  doc.font(REGULAR).fontSize(BODY + 0.5);
  for (const f of l.customer.fields) doc.text(winAnsi(`${f.label}: ${f.value}`));
}

/** Numbers every page at its foot ("Página 1 de 2"), once all pages exist. */
function footers(doc: Doc, l: Layout): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would start a new page: lift the margin while writing there.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(REGULAR).fontSize(7.5).fillColor('#555555');
    doc.text(winAnsi(`${l.customer.name} — ${l.asOf} — ${l.page(i - start + 1, count)}`), MARGIN, doc.page.height - MARGIN + 14, {
      width: doc.page.width - 2 * MARGIN,
      align: 'right',
      lineBreak: false,
    });
    doc.fillColor('black');
    doc.page.margins.bottom = bottom;
  }
}

/**
 * A statement as a PDF of real text (Helvetica, WinAnsi: Spanish accents and ñ render, and
 * `pdftotext` reads it back), Letter size, tables repeating their header across pages.
 */
export function statementPdf(l: Layout, created: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: winAnsi(`${l.title} — ${l.customer.name} — ${l.asOf}`), Author: winAnsi(l.seller[0] ?? 'Cartera'), Creator: 'Cartera', CreationDate: created },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((ok, fail) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => ok(Buffer.concat(chunks)));
    doc.on('error', fail);
  });
  head(doc, l);
  for (const s of l.sections) {
    ensureRoom(doc, 5 * ROW);
    doc.moveDown(1).font(BOLD).fontSize(13).text(winAnsi(s.heading), MARGIN, doc.y);
    doc.font(REGULAR).fontSize(10).text(winAnsi(s.totals.map((t) => `${t.label}: ${t.value}`).join('     ')));
    for (const t of s.tables) table(doc, t);
  }
  if (l.empty) doc.moveDown(1).font(REGULAR).fontSize(10).text(winAnsi(l.empty), MARGIN, doc.y);
  doc.moveDown(1.5).font(REGULAR).fontSize(BODY).fillColor('#555555');
  for (const n of l.notes) doc.text(winAnsi(n), MARGIN, doc.y, { width: doc.page.width - 2 * MARGIN });
  doc.fillColor('black');
  footers(doc, l);
  doc.end();
  return done;
}
