import { BOLD, drawTable, MARGIN, newPdf, pageFeet, REGULAR, winAnsi, type Doc } from '../statements/index.ts';
import type { AgedLayout } from './aged-layout.ts';

/** Draws the report's heading and its tables on the current page, as the report PDF and the pack both show it. */
export function drawAged(doc: Doc, l: AgedLayout): void {
  doc.font(BOLD).fontSize(16).text(winAnsi(l.title), MARGIN, doc.y);
  doc.font(REGULAR).fontSize(10).text(winAnsi(l.subtitle));
  if (l.filters) doc.text(winAnsi(l.filters));
  for (const t of l.tables) drawTable(doc, t);
  if (l.empty) doc.moveDown(1).font(REGULAR).fontSize(10).text(winAnsi(l.empty), MARGIN, doc.y);
}

/** The aged receivables report as a landscape Letter PDF of real text, numbered pages. */
export function agedPdf(l: AgedLayout, page: (n: number, of: number) => string, created: Date): Promise<Buffer> {
  const { doc, bytes } = newPdf({ title: `${l.title} — ${l.subtitle}`, author: 'Cartera', created, layout: 'landscape' });
  drawAged(doc, l);
  pageFeet(doc, (n, of) => `${l.title} — ${page(n, of)}`);
  doc.end();
  return bytes;
}
