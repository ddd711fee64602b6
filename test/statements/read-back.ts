import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Spaces Intl puts in numbers (no-break, narrow no-break) read as plain spaces. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

/** The text of a PDF as `pdftotext -layout` (poppler-utils) reads it back. */
export function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'cartera-pdf-'));
  try {
    const file = join(dir, 'statement.pdf');
    writeFileSync(file, pdf);
    return plain(execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a line of the PDF's text is exactly these cells, left to right (empty cells skipped),
 * whatever spaces the layout put between them.
 */
export function hasRow(text: string, cells: string[]): boolean {
  const re = new RegExp(`^ *${cells.filter(Boolean).map((c) => escape(c).replace(/ /g, ' +')).join(' +')} *$`);
  return text.split('\n').some((line) => re.test(line));
}

const entities = (s: string) => s.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');

/** The cells of every table row of an HTML page, in order, as text. */
export function htmlRows(html: string): string[][] {
  return [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((tr) => [...tr[1].matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((c) => plain(entities(c[1]))));
}

/** The visible text of an HTML page: tags dropped, entities decoded, each run of white space one space. */
export function htmlText(html: string): string {
  return plain(entities(html.replace(/<style>.*?<\/style>/s, '').replace(/<[^>]+>/g, ' '))).replace(/\s+/g, ' ');
}
