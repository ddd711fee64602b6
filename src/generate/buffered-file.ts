import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import iconv from 'iconv-lite';

/** Text encodings the exports use: canonical files are UTF-8, Spanish ERP files windows-1252. */
export type TextEncoding = 'utf8' | 'win1252';

const FLUSH_AT = 1 << 16;

/**
 * A text file written in large synchronous chunks: memory stays bounded however many rows
 * go through, and each chunk is encoded once (Latin-1 files through iconv-lite).
 */
export class BufferedFile {
  private readonly fd: number;
  private parts: string[] = [];
  private pending = 0;
  rows = 0;

  constructor(readonly path: string, private readonly encoding: TextEncoding = 'utf8') {
    this.fd = openSync(path, 'w');
  }

  /** Appends text (a header, a row with its line end, a bracket). */
  write(text: string): void {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= FLUSH_AT) this.flush();
  }

  /** Appends one data row and counts it. */
  row(line: string): void {
    this.rows++;
    this.write(line);
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    const bytes = this.encoding === 'utf8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'win1252');
    writeSync(this.fd, bytes);
    this.parts = [];
    this.pending = 0;
  }

  /** Flushes, closes and returns the size in bytes. */
  close(): number {
    this.flush();
    closeSync(this.fd);
    return statSync(this.path).size;
  }
}
