/**
 * Delimited text files before DuckDB reads them: what they are (refusing binary data and other
 * formats by name), their encoding decided per file from all of their bytes, and, where DuckDB
 * could not read them as they are, a clean copy: UTF-8 with LF line ends, every line where it was.
 *
 * Encodings: UTF-8 with or without a byte-order mark, UTF-16 LE or BE (Excel's "Unicode text", with
 * or without a mark), Windows-1252 (Excel on Windows) and Latin-1. A UTF-8 file with a few stray bytes
 * stays UTF-8: only the lines holding them are repaired (each stray byte read as Windows-1252, as
 * the program that slipped it in most likely wrote it), each with a warning naming the line.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, copyFileSync, createReadStream, mkdtempSync, openSync, readSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { InputError } from '../db/errors.ts';
import { KIND_MESSAGE, kindOf } from './file-kinds.ts';
import type { FileScan } from './files.ts';
import type { Finding } from './readers/stage.ts';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'latin-1';

export interface PreparedText {
  /** What DuckDB reads: the file itself, or its clean copy. */
  path: string;
  /** Lines of what DuckDB reads (the same as the file's, CR line ends counted as ends). */
  lines: number;
  encoding: TextEncoding;
  /** Whether any byte is a double quote. */
  quotes: boolean;
  notes: string[];
  /** One warning per line whose stray bytes were repaired. */
  findings: Finding[];
  /** Removes the clean copy, if one was made. */
  dispose(): void;
}

const NAMES: Record<TextEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  'windows-1252': 'Windows-1252',
  'latin-1': 'Latin-1',
};

// Node's own TextDecoder reads 'windows-1252' as Latin-1 (0x93 stays a control character, not “).
const cp1252 = { decode: (bytes: Uint8Array) => iconv.decode(Buffer.from(bytes), 'win1252') };

/** The length of the valid UTF-8 sequence at `i` (1 for ASCII), or 0 when the byte there starts none. */
function sequenceLength(b: Buffer, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c >= 0xe1 && c <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** UTF-16 without a byte-order mark: text whose every other byte is zero. */
function utf16Without(head: Buffer): TextEncoding | undefined {
  const pairs = Math.floor(head.length / 2);
  if (pairs < 2) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) even++;
    if (head[i + 1] === 0) odd++;
  }
  if (odd > pairs * 0.3 && even < pairs * 0.05) return 'utf-16le';
  if (even > pairs * 0.3 && odd < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/**
 * A file that is not valid UTF-8: UTF-8 with stray bytes (it holds valid multi-byte sequences), or a
 * single-byte encoding: Windows-1252 where it uses the
 * bytes 0x80-0x9F (€, curly quotes, dashes), Latin-1 otherwise.
 */
async function classify(path: string): Promise<TextEncoding | 'utf-8 repaired'> {
  let valid = 0;
  let invalid = 0;
  let c1 = false;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const b = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let i = 0;
    // The last 3 bytes wait for the next chunk, where a sequence they start may end.
    const end = b.length - 3;
    while (i < end) {
      if (b[i] < 0x80) {
        i++;
        continue;
      }
      if (b[i] <= 0x9f) c1 = true;
      const n = sequenceLength(b, i);
      if (n) valid++;
      else invalid++;
      i += n || 1;
    }
    carry = b.subarray(i);
  }
  for (let i = 0; i < carry.length; ) {
    if (carry[i] < 0x80) {
      i++;
      continue;
    }
    if (carry[i] <= 0x9f) c1 = true;
    const n = sequenceLength(carry, i);
    if (n) valid++;
    else invalid++;
    i += n || 1;
  }
  // Windows-1252 text almost never holds a valid UTF-8 sequence by chance, so a few are enough to
  // tell a UTF-8 file with stray bytes (unless strays outnumber them tenfold).
  if (valid > 0 && valid * 10 >= invalid) return 'utf-8 repaired';
  return c1 ? 'windows-1252' : 'latin-1';
}

/** Decodes one line of a mostly-UTF-8 file, reading each byte that starts no valid sequence as Windows-1252. */
export function repairLine(line: Buffer): { text: string; strays: number[] } {
  if (isUtf8(line)) return { text: line.toString('utf8'), strays: [] };
  let text = '';
  const strays: number[] = [];
  let from = 0;
  for (let i = 0; i < line.length; ) {
    const n = sequenceLength(line, i);
    if (n) {
      i += n;
      continue;
    }
    text += line.toString('utf8', from, i) + cp1252.decode(line.subarray(i, i + 1));
    strays.push(line[i]);
    from = ++i;
  }
  return { text: text + line.toString('utf8', from), strays };
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/** The warning for a line whose stray bytes were read as Windows-1252. */
function strayReason(strays: number[]): string {
  const chars = strays.map((b) => `'${cp1252.decode(Uint8Array.of(b))}'`).join(', ');
  const bytes = strays.map(hex).join(', ');
  return strays.length === 1 ? `byte ${bytes} is not UTF-8: read as Windows-1252 ${chars}` : `bytes ${bytes} are not UTF-8: read as Windows-1252 ${chars}`;
}

/**
 * Writes text to a file with LF line ends (CRLF and lone CR become LF), counting lines and the
 * kinds of line end it met.
 */
class CleanCopy {
  readonly dir = mkdtempSync(join(tmpdir(), 'cartera-text-'));
  readonly path = join(this.dir, 'clean.csv');
  private readonly fd = openSync(this.path, 'w');
  private pendingCr = false;
  private endsWithLf = true;
  private empty = true;
  lines = 0;
  crlf = 0;
  lf = 0;
  cr = 0;

  write(text: string): void {
    if (!text) return;
    let s = text;
    if (this.pendingCr) {
      s = '\r' + s;
      this.pendingCr = false;
    }
    if (s.endsWith('\r')) {
      this.pendingCr = true;
      s = s.slice(0, -1);
    }
    if (!s) return;
    const out = s.replace(/\r\n|\r|\n/g, (m) => {
      if (m === '\r\n') this.crlf++;
      else if (m === '\r') this.cr++;
      else this.lf++;
      this.lines++;
      return '\n';
    });
    this.empty = false;
    this.endsWithLf = out.endsWith('\n');
    writeSync(this.fd, out);
  }

  close(): void {
    if (this.pendingCr) {
      this.pendingCr = false;
      this.cr++;
      this.lines++;
      this.endsWithLf = true;
      writeSync(this.fd, '\n');
    }
    closeSync(this.fd);
    if (!this.empty && !this.endsWithLf) this.lines++;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The encoding a profile names ("latin-1", "cp1252", "utf-16"...). */
function encodingNamed(name: string): TextEncoding {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (/^(latin1|iso88591|l1)$/.test(n)) return 'latin-1';
  if (/^(windows1252|cp1252|win1252|ansi)$/.test(n)) return 'windows-1252';
  if (/^(utf16|utf16le|ucs2)$/.test(n)) return 'utf-16le';
  if (n === 'utf16be') return 'utf-16be';
  return 'utf-8';
}

/**
 * Decides a delimited text file's encoding and returns what DuckDB should read: the file itself
 * when it is UTF-8 with consistent line ends, else a clean UTF-8 copy (see the module comment).
 * Throws an `InputError` for an empty file, binary data, or a workbook, zip or PDF named as text.
 */
export async function prepareText(file: string, label: string, scan: FileScan, forced?: string): Promise<PreparedText> {
  if (scan.bytes === 0) throw new InputError(`${label}: the file is empty (0 bytes)`);
  const kind = kindOf(scan.head);
  if (kind) throw new InputError(`${label}: ${KIND_MESSAGE[kind]}`);
  const head = scan.head;
  let encoding: TextEncoding | 'utf-8 repaired';
  if (forced) encoding = encodingNamed(forced);
  else if (head[0] === 0xff && head[1] === 0xfe) encoding = 'utf-16le';
  else if (head[0] === 0xfe && head[1] === 0xff) encoding = 'utf-16be';
  else if (scan.nulLine !== undefined) {
    const utf16 = utf16Without(head);
    if (!utf16) throw new InputError(`${label}: not a text file: it holds binary data (a NUL byte on line ${scan.nulLine})`);
    encoding = utf16;
  } else encoding = scan.utf8 ? 'utf-8' : await classify(file);

  const mixedEnds = scan.cr > 0 && scan.cr !== scan.lf;
  if (encoding === 'utf-8' && !mixedEnds) {
    return { path: file, lines: scan.lines, encoding, quotes: scan.quotes, notes: [], findings: [], dispose: () => {} };
  }

  const copy = new CleanCopy();
  const findings: Finding[] = [];
  try {
    if (encoding === 'utf-8 repaired') {
      let carry: Buffer = Buffer.alloc(0);
      const line = (bytes: Buffer, end: string) => {
        const { text, strays } = repairLine(bytes);
        if (strays.length) findings.push({ line: copy.lines + 1, column: null, value: text.replace(/\r$/, '').slice(0, 500), reason: strayReason(strays), severity: 'warning' });
        copy.write(text + end);
      };
      for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
        const b = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        let from = 0;
        for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, from)) {
          line(b.subarray(from, i), '\n');
          from = i + 1;
        }
        carry = Buffer.from(b.subarray(from));
      }
      if (carry.length) line(carry, '');
    } else {
      // Latin-1 files use no byte of 0x80-0x9F, where alone it differs from Windows-1252.
      const decoder = iconv.getDecoder(encoding === 'utf-16le' ? 'utf16le' : encoding === 'utf-16be' ? 'utf16be' : encoding === 'utf-8' ? 'utf8' : 'win1252');
      for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) copy.write(decoder.write(chunk));
      copy.write(decoder.end() ?? '');
    }
    copy.close();
  } catch (err) {
    copy.dispose();
    throw err;
  }

  const notes: string[] = [];
  if (encoding === 'utf-8 repaired') {
    const n = findings.length;
    notes.push(`text: UTF-8, with ${n} ${n === 1 ? 'line' : 'lines'} holding bytes that are not UTF-8 (read as Windows-1252; see the warnings)`);
  } else if (encoding !== 'utf-8') notes.push(`text: ${NAMES[encoding]}`);
  if (copy.cr) notes.push(`line ends: ${copy.lf || copy.crlf ? 'mixed, ' : ''}CR (old Mac) read as line ends`);
  else if (copy.crlf && copy.lf) notes.push(`line ends: mixed CRLF (${copy.crlf}) and LF (${copy.lf}), read alike`);
  return {
    path: copy.path,
    lines: copy.lines,
    encoding: encoding === 'utf-8 repaired' ? 'utf-8' : encoding,
    quotes: scan.quotes,
    notes,
    findings,
    dispose: () => copy.dispose(),
  };
}

/**
 * The first `bytes` of a prepared file, for DuckDB to read alone (the lines above a quote that never
 * closes): the clean copy cut in place, or a copy of the file's start.
 */
export function cutAt(text: PreparedText, original: string, bytes: number): PreparedText {
  if (text.path !== original) {
    truncateSync(text.path, bytes);
    return text;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cartera-text-'));
  const path = join(dir, 'start.csv');
  copyFileSync(original, path);
  truncateSync(path, bytes);
  return { ...text, path, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Up to `max` bytes of the line starting at byte `offset` of a file, as text. */
export function lineAt(path: string, offset: number, max = 500): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(max);
    const n = readSync(fd, buf, 0, max, offset);
    return buf.subarray(0, n).toString('utf8').split('\n')[0].replace(/\r$/, '');
  } finally {
    closeSync(fd);
  }
}
