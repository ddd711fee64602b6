import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../../db/errors.ts';

export interface Dialect {
  delimiter: string;
  quote: string;
  /** Lines above the header (report titles, export dates). */
  skip: number;
  /** Column names from the header line as written (trimmed; a blank one named columnN). */
  headers: string[];
}

/** Splits one delimited line into fields, honouring double quotes. */
export function splitLine(line: string, d: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') {
      if (q && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else q = !q;
    } else if (ch === d && !q) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Header names trimmed, a blank one named after its position (column3). */
export const headerNames = (names: string[]): string[] => names.map((raw, i) => raw.trim() || `column${i + 1}`);

/**
 * Makes header names unique (case aside, as DuckDB compares names) and non-empty, as a table
 * needs them. Names that repeat are an error for any sheet that is loaded (see `duplicateHeaders`).
 */
export function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return headerNames(names).map((n) => {
    const key = n.toLowerCase();
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    return k ? `${n}_${k}` : n;
  });
}

const CANDIDATES = [',', ';', '\t', '|'];

/** Counts a delimiter per physical line outside double quotes. */
function countsPerLine(lines: string[], d: string): number[] {
  return lines.map((line) => {
    let n = 0;
    let q = false;
    for (const ch of line) {
      if (ch === '"') q = !q;
      else if (ch === d && !q) n++;
    }
    return n;
  });
}

/**
 * Finds the delimiter and the header line of a delimited text file (UTF-8) from its first lines:
 * the delimiter whose per-line count is most consistent wins, and lines above the first one with
 * that count (titles such as "Reporte de cartera al 31/10/2024", or Excel's "sep=;") are skipped.
 * A file with no line at all, or whose lines no candidate delimiter separates, is an `InputError`
 * (unless the delimiter is given).
 */
export function sniffDialect(path: string, label: string, delimiter?: string): Dialect {
  const fd = openSync(path, 'r');
  let text: string;
  try {
    const buf = Buffer.alloc(256 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    text = buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
  const all = text.split(/\r?\n/);
  const lines = all.slice(0, -1).filter((l) => l.trim() !== '').slice(0, 300);
  if (!lines.length && all[all.length - 1].trim() !== '') lines.push(all[all.length - 1]);
  if (!lines.length) throw new InputError(`${label}: the file is empty: no header and no rows`);
  let best: { delimiter: string; score: number; mode: number; counts: number[] } | undefined;
  for (const d of delimiter ? [delimiter] : CANDIDATES) {
    const counts = countsPerLine(lines, d);
    const freq = new Map<number, number>();
    for (const c of counts) if (c > 0) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 0;
    let score = 0;
    for (const [c, f] of freq) if (f > score || (f === score && c > mode)) [mode, score] = [c, f];
    if (!best || score > best.score || (score === best.score && mode > best.mode)) best = { delimiter: d, score, mode, counts };
  }
  if (!best || best.score === 0) {
    if (delimiter) return { delimiter, quote: '"', skip: all.indexOf(lines[0]), headers: headerNames([lines[0]]) };
    throw new InputError(
      `${label}: cannot find the delimiter: no comma, semicolon, tab or pipe separates the fields of its first lines (first line: '${lines[0].slice(0, 80)}'). ` +
        `Give it in a profile: "csv": {"delimiter": "..."}`,
    );
  }
  // Physical lines (blank ones included) above the header, which is the first line with the usual count.
  const headerIdx = best.counts.findIndex((c) => c === best!.mode);
  const header = lines[headerIdx];
  const skip = all.indexOf(header);
  return { delimiter: best.delimiter, quote: '"', skip: Math.max(0, skip), headers: headerNames(splitLine(header, best.delimiter)) };
}
