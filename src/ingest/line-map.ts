import { createReadStream } from 'node:fs';

/**
 * Scans a delimited text file and returns the 1-based line on which each record starts, skipping
 * blank lines, honouring quotes (a quoted field may span lines). Used when rows and lines do not
 * line up one to one, so rejects still name the file's own line.
 */
export async function recordStartLines(path: string, quote = '"'): Promise<number[]> {
  const q = quote.charCodeAt(0);
  const starts: number[] = [];
  let line = 1;
  let inQuotes = false;
  let atRecordStart = true;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 10) {
        if (!inQuotes) atRecordStart = true;
        line++;
        continue;
      }
      if (b === 13) continue;
      if (atRecordStart && !inQuotes) {
        starts.push(line);
        atRecordStart = false;
      }
      if (b === q) inQuotes = !inQuotes;
    }
  }
  return starts;
}
