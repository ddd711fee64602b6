import { createReadStream } from 'node:fs';

/** What a pass over a delimited file's quotes tells (see `scanRecords`). */
export interface RecordScan {
  /** The line each record starts on (blank lines skipped), when asked for. */
  starts?: number[];
  /** Whether a quoted value holds a line break, so some record spans lines. */
  spans: boolean;
  /** A quote that opens and never closes: the line its record starts on and that line's byte offset. */
  unclosed?: { line: number; offset: number };
}

const FIELD = 0;
const TEXT = 1;
const QUOTED = 2;
const AFTER_QUOTE = 3;

/**
 * The state of `scanRecords` between chunks. `feed` copies it into locals and back: V8 keeps the
 * variables of an async function in a heap context, and the byte loop ran five times slower on them.
 */
class RecordScanner {
  state = FIELD;
  line = 1;
  lineOffset = 0;
  offset = 0;
  atRecordStart = true;
  recordLine = 1;
  recordOffset = 0;
  spans = false;
  // A line break inside a quoted value counts once the value closes (one that never closes is reported as such).
  broken = false;
  readonly starts: number[] = [];

  constructor(
    private readonly q: number,
    private readonly d: number,
    private readonly wantStarts: boolean,
  ) {}

  feed(chunk: Buffer): void {
    const { q, d, wantStarts, starts } = this;
    let { state, line, lineOffset, atRecordStart, recordLine, recordOffset, spans, broken } = this;
    const offset = this.offset;
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    const n = bytes.length;
    for (let i = 0; i < n; i++) {
      const b = bytes[i];
      if (b === 10) {
        line++;
        lineOffset = offset + i + 1;
        if (state === QUOTED) broken = true;
        else {
          state = FIELD;
          atRecordStart = true;
        }
        continue;
      }
      if (b === 13 && state !== QUOTED) continue;
      if (atRecordStart) {
        atRecordStart = false;
        recordLine = line;
        recordOffset = lineOffset;
        if (wantStarts) starts.push(line);
      }
      if (state === QUOTED) {
        if (b === q) {
          state = AFTER_QUOTE;
          spans ||= broken;
        }
      } else if (state === AFTER_QUOTE) {
        state = b === q ? QUOTED : b === d ? FIELD : TEXT;
      } else if (b === d) state = FIELD;
      else if (state === FIELD) {
        state = b === q ? QUOTED : TEXT;
        broken = false;
      }
    }
    Object.assign(this, { state, line, lineOffset, atRecordStart, recordLine, recordOffset, spans, broken, offset: offset + chunk.length });
  }
}

/**
 * Reads a delimited text file's records as DuckDB does: a quote opens a quoted value only at the
 * start of a field (elsewhere it is text), a doubled quote inside one is a quote, and a line
 * break inside one continues the record. Blank lines hold no record; CRs are ignored outside quotes.
 * Finds whether records span lines and where a quote that never closes opened, and with
 * `starts`, the 1-based line each record starts on (so rejects name the file's own line).
 */
export async function scanRecords(path: string, delimiter: string, quote = '"', starts = false): Promise<RecordScan> {
  const scanner = new RecordScanner(quote.charCodeAt(0), delimiter.length === 1 ? delimiter.charCodeAt(0) : -1, starts);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) scanner.feed(chunk);
  const { spans, state, recordLine, recordOffset } = scanner;
  return { ...(starts ? { starts: scanner.starts } : {}), spans, ...(state === QUOTED ? { unclosed: { line: recordLine, offset: recordOffset } } : {}) };
}

/** From this 1-based position on, a row's line is its position plus `offset`. */
export interface LineStep {
  pos: number;
  offset: number;
}

/**
 * The steps of a list of lines by position: one where the gap between a row's position and its line
 * changes (a record spanning lines, a blank line, a rejected record before it). A file with one row
 * per line has a single step, whatever its size.
 */
export function lineStepsOf(lines: number[]): LineStep[] {
  const steps: LineStep[] = [];
  for (let i = 0; i < lines.length; i++) {
    const offset = lines[i] - (i + 1);
    if (steps.length === 0 || steps[steps.length - 1].offset !== offset) steps.push({ pos: i + 1, offset });
  }
  return steps;
}

/** Up to this many steps, a row's line is a CASE expression; past it, lines go through a table. */
export const MAX_STEPS_INLINE = 64;

/** SQL for the line of the row at 1-based position `pos`, from a few steps. */
export function lineOf(pos: string, steps: LineStep[]): string {
  if (steps.length <= 1) return `(${pos} + ${steps[0]?.offset ?? 0})`;
  const later = steps.slice(1).reverse().map((s) => `when ${pos} >= ${s.pos} then ${s.offset}`).join(' ');
  return `(${pos} + case ${later} else ${steps[0].offset} end)`;
}
