import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { InputError } from '../db/errors.ts';
import { isSatMetadataHead } from './readers/cfdi/metadata.ts';

export type FileFormat = 'csv' | 'xlsx' | 'json' | 'parquet' | 'xml' | 'zip';

const BY_EXTENSION: Record<string, FileFormat> = {
  '.csv': 'csv', '.tsv': 'csv', '.psv': 'csv', '.tab': 'csv', '.txt': 'csv',
  '.xlsx': 'xlsx', '.xlsm': 'xlsx',
  '.json': 'json', '.ndjson': 'json', '.jsonl': 'json',
  '.parquet': 'parquet', '.pq': 'parquet',
  '.xml': 'xml', '.zip': 'zip',
};

/** The first bytes of a file. */
function headOf(path: string, bytes = 64): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(bytes);
    return b.subarray(0, readSync(fd, b, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/** The format of a file by its extension, or undefined when Cartera does not read it. */
export function formatOf(path: string): FileFormat | undefined {
  return BY_EXTENSION[extname(path).toLowerCase()];
}

/**
 * Expands the paths given on the command line: files as they are, folders recursively (skipping
 * hidden files, READMEs and .txt files, which in a folder are more often notes than exports, except
 * the SAT's CFDI metadata file, told by its header). With `anyFile` (--entity cfdi) a file named
 * on the command line is taken whatever its extension.
 */
export function expandPaths(paths: string[], opts: { anyFile?: boolean } = {}): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (formatOf(p) && !/^readme/i.test(name) && (extname(name).toLowerCase() !== '.txt' || isSatMetadataHead(headOf(p)))) out.push(p);
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
    else if (formatOf(p) || opts.anyFile) out.push(p);
    else throw new InputError(`${p}: unsupported file type '${extname(p) || basename(p)}' (CSV, TSV, TXT, XLSX, JSON, NDJSON, Parquet, or CFDI XML and zips of them)`);
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

/** What one streamed pass over a file's bytes tells (see `scanFile`). */
export interface FileScan {
  sha256: string;
  bytes: number;
  /** Whether every byte is valid UTF-8 (NUL bytes included, as UTF-16 text has them). */
  utf8: boolean;
  /** Lines as an editor counts them with LF line ends (a last line without one counts). */
  lines: number;
  /** The first 4 KiB, to tell the kind of file and a UTF-16 text without a byte-order mark. */
  head: Buffer;
  /** The line of the first NUL byte, if any (binary data, or UTF-16). */
  nulLine?: number;
  /** CR and LF bytes: equal counts are CRLF line ends, others are mixed or old Mac ones. */
  cr: number;
  lf: number;
  /** Whether any byte is a double quote (only then can a record span lines or a quote stay open). */
  quotes: boolean;
}

const count = (chunk: Buffer, byte: number) => {
  let n = 0;
  for (let i = chunk.indexOf(byte); i !== -1; i = chunk.indexOf(byte, i + 1)) n++;
  return n;
};

/**
 * SHA-256 of a file's bytes, whether they are valid UTF-8, how many lines it has, and what its
 * line ends, quotes and first bytes are, in one streamed pass (the hash makes re-loads idempotent;
 * the rest decides how the file is read and whether it needs a clean UTF-8 copy first).
 */
export async function scanFile(path: string): Promise<FileScan> {
  const h = createHash('sha256');
  let utf8 = true;
  let carry: Buffer = Buffer.alloc(0);
  let newlines = 0;
  let last = -1;
  let bytes = 0;
  let cr = 0;
  let quotes = false;
  let nulLine: number | undefined;
  const head: Buffer[] = [];
  let headBytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 }) as AsyncIterable<Buffer>) {
    h.update(chunk);
    if (headBytes < 4096) {
      head.push(chunk.subarray(0, 4096 - headBytes));
      headBytes += head[head.length - 1].length;
    }
    if (nulLine === undefined) {
      const nul = chunk.indexOf(0);
      if (nul !== -1) nulLine = newlines + count(chunk.subarray(0, nul), 10) + 1;
    }
    newlines += count(chunk, 10);
    cr += count(chunk, 13);
    quotes ||= chunk.includes(34);
    bytes += chunk.length;
    last = chunk[chunk.length - 1];
    if (!utf8) continue;
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const cut = utf8Cut(buf);
    utf8 = isUtf8(buf.subarray(0, cut));
    carry = buf.subarray(cut);
  }
  if (utf8 && carry.length) utf8 = isUtf8(carry);
  // A last line without a newline still counts.
  const lines = newlines + (last !== -1 && last !== 10 ? 1 : 0);
  return { sha256: h.digest('hex'), bytes, utf8, lines, head: Buffer.concat(head), nulLine, cr, lf: newlines, quotes };
}
