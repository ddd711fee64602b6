import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
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
    // Entries with their types: a stat per file cost seconds in a folder of 100,000 CFDIs.
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const name = e.name;
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      if (e.isDirectory() || (e.isSymbolicLink() && statSync(p).isDirectory())) walk(p);
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
  const scan = new Scan();
  // A small file (a CFDI is a few KiB) is read in one call: a stream per file costs more than the reading
  // when a load is 100,000 of them.
  if (statSync(path).size <= SMALL_FILE) scan.add(readFileSync(path));
  else for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 }) as AsyncIterable<Buffer>) scan.add(chunk);
  return scan.result();
}

const SMALL_FILE = 1 << 20;

/** The running state of `scanFile`, chunk by chunk. */
class Scan {
  private readonly h = createHash('sha256');
  private utf8 = true;
  private carry: Buffer = Buffer.alloc(0);
  private newlines = 0;
  private last = -1;
  private bytes = 0;
  private cr = 0;
  private quotes = false;
  private nulLine: number | undefined;
  private readonly head: Buffer[] = [];
  private headBytes = 0;

  add(chunk: Buffer): void {
    this.h.update(chunk);
    if (this.headBytes < 4096) {
      this.head.push(chunk.subarray(0, 4096 - this.headBytes));
      this.headBytes += this.head[this.head.length - 1].length;
    }
    if (this.nulLine === undefined) {
      const nul = chunk.indexOf(0);
      if (nul !== -1) this.nulLine = this.newlines + count(chunk.subarray(0, nul), 10) + 1;
    }
    this.newlines += count(chunk, 10);
    this.cr += count(chunk, 13);
    this.quotes ||= chunk.includes(34);
    this.bytes += chunk.length;
    if (chunk.length) this.last = chunk[chunk.length - 1];
    if (!this.utf8) return;
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = utf8Cut(buf);
    this.utf8 = isUtf8(buf.subarray(0, cut));
    this.carry = buf.subarray(cut);
  }

  result(): FileScan {
    const utf8 = this.utf8 && (this.carry.length ? isUtf8(this.carry) : true);
    // A last line without a newline still counts.
    const lines = this.newlines + (this.last !== -1 && this.last !== 10 ? 1 : 0);
    return { sha256: this.h.digest('hex'), bytes: this.bytes, utf8, lines, head: Buffer.concat(this.head), nulLine: this.nulLine, cr: this.cr, lf: this.newlines, quotes: this.quotes };
  }
}
