import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { InputError } from '../db/errors.ts';

export type FileFormat = 'csv' | 'xlsx' | 'json' | 'parquet';

const BY_EXTENSION: Record<string, FileFormat> = {
  '.csv': 'csv', '.tsv': 'csv', '.psv': 'csv', '.tab': 'csv', '.txt': 'csv',
  '.xlsx': 'xlsx', '.xlsm': 'xlsx',
  '.json': 'json', '.ndjson': 'json', '.jsonl': 'json',
  '.parquet': 'parquet', '.pq': 'parquet',
};

/** The format of a file by its extension, or undefined when Cartera does not read it. */
export function formatOf(path: string): FileFormat | undefined {
  return BY_EXTENSION[extname(path).toLowerCase()];
}

/**
 * Expands the paths given on the command line: files as they are, folders recursively (skipping
 * hidden files, READMEs and .txt files, which in a folder are more often notes than exports).
 */
export function expandPaths(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (formatOf(p) && !/^readme/i.test(name) && extname(name).toLowerCase() !== '.txt') out.push(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new InputError(`${p}: no such file or folder`);
    }
    if (st.isDirectory()) walk(p);
    else if (formatOf(p)) out.push(p);
    else throw new InputError(`${p}: unsupported file type '${extname(p) || basename(p)}' (CSV, TSV, TXT, XLSX, JSON, NDJSON or Parquet)`);
  }
  return out;
}

/** Where a chunk can be cut without splitting a UTF-8 sequence. */
function utf8Cut(b: Buffer): number {
  for (let i = b.length - 1; i >= Math.max(0, b.length - 4); i--) {
    const c = b[i];
    if (c < 0x80) return b.length;
    if (c >= 0xc0) {
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return b.length - i >= need ? b.length : i;
    }
  }
  return b.length;
}

/**
 * SHA-256 of a file's bytes, whether they are valid UTF-8, and how many lines the file has, in one
 * streamed pass (the hash makes re-loads idempotent; the encoding decides how DuckDB reads the file;
 * the line count tells whether every CSV record sits on one line, so rows map to lines by position).
 */
export async function scanFile(path: string): Promise<{ sha256: string; utf8: boolean; lines: number }> {
  const h = createHash('sha256');
  let utf8 = true;
  let carry: Buffer = Buffer.alloc(0);
  let newlines = 0;
  let last = -1;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 }) as AsyncIterable<Buffer>) {
    h.update(chunk);
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
    last = chunk[chunk.length - 1];
    if (!utf8) continue;
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const cut = utf8Cut(buf);
    utf8 = isUtf8(buf.subarray(0, cut));
    carry = buf.subarray(cut);
  }
  if (utf8 && carry.length) utf8 = isUtf8(carry);
  // A last line without a newline still counts.
  return { sha256: h.digest('hex'), utf8, lines: newlines + (last !== -1 && last !== 10 ? 1 : 0) };
}
