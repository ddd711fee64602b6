import type { Layout } from './layout.ts';
import { BODY, BOLD, drawTable, ensureRoom, MARGIN, newPdf, pageFeet, REGULAR, ROW, winAnsi, type Doc } from './pdf-kit.ts';

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

/**
 * A statement as a PDF of real text (Helvetica, WinAnsi: Spanish accents and ñ render, and
 * `pdftotext` reads it back), Letter size, tables repeating their header across pages.
 */
export function statementPdf(l: Layout, created: Date): Promise<Buffer> {
  const { doc, bytes } = newPdf({ title: `${l.title} — ${l.customer.name} — ${l.asOf}`, author: l.seller[0] ?? 'Cartera', created });
  head(doc, l);
  for (const s of l.sections) {
    ensureRoom(doc, 5 * ROW);
    doc.moveDown(1).font(BOLD).fontSize(13).text(winAnsi(s.heading), MARGIN, doc.y);
    doc.font(REGULAR).fontSize(10).text(winAnsi(s.totals.map((t) => `${t.label}: ${t.value}`).join('     ')));
    for (const t of s.tables) drawTable(doc, t);
  }
  if (l.empty) doc.moveDown(1).font(REGULAR).fontSize(10).text(winAnsi(l.empty), MARGIN, doc.y);
  doc.moveDown(1.5).font(REGULAR).fontSize(BODY).fillColor('#555555');
  for (const n of l.notes) doc.text(winAnsi(n), MARGIN, doc.y, { width: doc.page.width - 2 * MARGIN });
  doc.fillColor('black');
  pageFeet(doc, (n, of) => `${l.customer.name} — ${l.asOf} — ${l.page(n, of)}`);
  doc.end();
  return bytes;
}
