import { closeSync, openSync, readSync } from 'node:fs';

export interface Dialect {
  delimiter: string;
  quote: string;
  /** Lines above the header (report titles, export dates). */
  skip: number;
  /** Column names from the header line, unique and non-empty. */
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

/** Makes header names unique and non-empty, as a table needs them. */
export function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, i) => {
    const n = raw.trim() || `column${i + 1}`;
    const k = seen.get(n) ?? 0;
    seen.set(n, k + 1);
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
 * Finds the delimiter and the header line of a delimited text file from its first lines: the
 * delimiter whose per-line count is most consistent wins, and lines above the first one with that
 * count (titles such as "Reporte de cartera al 31/10/2024") are skipped.
 */
export function sniffDialect(path: string, encoding: BufferEncoding): Dialect {
  const fd = openSync(path, 'r');
  let text: string;
  try {
    const buf = Buffer.alloc(256 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    text = buf.subarray(0, n).toString(encoding).replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
  const lines = text.split(/\r?\n/).slice(0, -1).filter((l) => l.trim() !== '').slice(0, 300);
  if (!lines.length) lines.push(text.replace(/\r?\n$/, ''));
  let best: { delimiter: string; score: number; mode: number; counts: number[] } | undefined;
  for (const d of CANDIDATES) {
    const counts = countsPerLine(lines, d);
    const freq = new Map<number, number>();
    for (const c of counts) if (c > 0) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 0;
    let score = 0;
    for (const [c, f] of freq) if (f > score || (f === score && c > mode)) [mode, score] = [c, f];
    if (!best || score > best.score || (score === best.score && mode > best.mode)) best = { delimiter: d, score, mode, counts };
  }
  if (!best || best.score === 0) return { delimiter: ',', quote: '"', skip: 0, headers: uniqueNames(splitLine(lines[0] ?? '', ',')) };
  // Physical lines (blank ones included) above the header, which is the first line with the usual count.
  const headerIdx = best.counts.findIndex((c) => c === best!.mode);
  const header = lines[headerIdx];
  const skip = text.split(/\r?\n/).indexOf(header);
  return { delimiter: best.delimiter, quote: '"', skip: Math.max(0, skip), headers: uniqueNames(splitLine(header, best.delimiter)) };
}
