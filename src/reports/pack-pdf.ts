import { BODY, BOLD, drawTable, ensureRoom, MARGIN, newPdf, pageFeet, REGULAR, winAnsi, type Doc } from '../statements/index.ts';
import { drawAged } from './aged-pdf.ts';
import type { PackLayout, PanelSection } from './pack-layout.ts';

const BAR_HEIGHT = 110;

function drawSection(doc: Doc, s: PanelSection): void {
  doc.font(BOLD).fontSize(14).text(winAnsi(s.title), MARGIN, doc.y);
  doc.font(REGULAR).fontSize(BODY).fillColor('#555555').text(winAnsi(s.description), { width: doc.page.width - 2 * MARGIN });
  doc.fillColor('black');
  drawTable(doc, s.table);
}

/** Bars of the weeks' expected collections, scaled to the largest, numbered by week below (the figures are in the table). */
function drawBars(doc: Doc, bars: { label: string; value: number }[]): void {
  const max = Math.max(0, ...bars.map((b) => b.value));
  if (!bars.length || max <= 0) return;
  ensureRoom(doc, BAR_HEIGHT + 30);
  const width = doc.page.width - 2 * MARGIN;
  const top = doc.y + 12;
  const base = top + BAR_HEIGHT;
  const step = width / bars.length;
  bars.forEach((b, i) => {
    const h = (Math.max(0, b.value) / max) * BAR_HEIGHT;
    doc.rect(MARGIN + i * step + step * 0.15, base - h, step * 0.7, h).fill('#4c78a8');
    doc.fillColor('black').font(REGULAR).fontSize(7).text(b.label, MARGIN + i * step, base + 3, { width: step, align: 'center', lineBreak: false });
  });
  doc.moveTo(MARGIN, base).lineTo(MARGIN + width, base).lineWidth(0.5).strokeColor('black').stroke();
  doc.x = MARGIN;
  doc.y = base + 16;
}

/**
 * The month-end pack as one landscape Letter PDF of real text: the KPI page, the aged receivables
 * report, the provision matrix and the 13-week cash forecast, each section on its own page, pages
 * numbered. pdfkit only: no browser.
 */
export function packPdf(l: PackLayout, created: Date): Promise<Buffer> {
  const { doc, bytes } = newPdf({ title: `${l.title} — ${l.subtitle}`, author: 'Cartera', created, layout: 'landscape' });
  doc.font(BOLD).fontSize(20).text(winAnsi(l.title), MARGIN, doc.y);
  doc.font(REGULAR).fontSize(11).text(winAnsi(l.subtitle));
  doc.fontSize(BODY).fillColor('#555555');
  for (const n of l.notes) doc.text(winAnsi(n));
  doc.fillColor('black').moveDown(1);
  drawSection(doc, l.kpis);
  doc.addPage();
  drawAged(doc, l.aged);
  doc.addPage();
  drawSection(doc, l.provision);
  doc.addPage();
  drawSection(doc, l.forecast);
  drawBars(doc, l.forecast.bars);
  pageFeet(doc, (n, of) => `${l.title} — ${l.subtitle} — ${l.page(n, of)}`);
  doc.end();
  return bytes;
}
