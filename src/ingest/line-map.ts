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

/**
 * Scans a JSON file holding one top-level array and returns the 1-based line on which each of its
 * elements starts (strings and nesting honoured), so rejects name the file's own line rather than
 * the element's position. A file that is not an array gives no lines.
 */
export async function jsonArrayElementLines(path: string): Promise<number[]> {
  const starts: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expectElement = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 10) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === 0x5c) escaped = true;
        else if (b === 0x22) inString = false;
        continue;
      }
      if (b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a) continue;
      if (depth === 1 && expectElement && b !== 0x5d) {
        starts.push(line);
        expectElement = false;
      }
      if (b === 0x22) inString = true;
      else if (b === 0x5b || b === 0x7b) {
        depth++;
        if (depth === 1) expectElement = b === 0x5b;
      } else if (b === 0x5d || b === 0x7d) depth--;
      else if (b === 0x2c && depth === 1) expectElement = true;
    }
  }
  return starts;
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
