/**
 * One pass over a JSON file before any JSON reader sees it: how deep it nests (10,000 levels crash
 * DuckDB's reader, and with it the process), whether it is a list of records and where each starts,
 * whether it ends where it should, and which numbers hold more digits than a JSON reader keeps
 * (every reader parses numbers as doubles: 15 significant digits survive, more are rounded).
 */
import { createReadStream } from 'node:fs';
import { InputError } from '../../db/errors.ts';
import type { Finding } from './stage.ts';

/** Deeper than this is not a table of records (nested values are kept as JSON text, not unpacked). */
export const MAX_JSON_DEPTH = 100;

export interface JsonShape {
  /** A top-level array of records, or records one after another (NDJSON, or pretty-printed objects). */
  kind: 'array' | 'records';
  /** The 1-based line each record starts on. */
  lines: number[];
  /** Whether each record starts and ends on one line (NDJSON). */
  oneLine: boolean;
  /** Numbers with more significant digits than a JSON reader keeps, as errors on their record's line. */
  findings: Finding[];
  /** With `ranges`: the byte offsets each record starts at and ends before. */
  ranges?: [number, number][];
}

type Kind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';
const kindOf = (b: number): Kind => (b === 0x7b ? 'object' : b === 0x5b ? 'array' : b === 0x22 ? 'string' : b === 0x74 || b === 0x66 ? 'boolean' : b === 0x6e ? 'null' : 'number');
const A: Record<Kind, string> = { object: 'a record', array: 'an array', string: 'a string', number: 'a number', boolean: 'a boolean', null: 'null' };
const MANY: Record<Kind, string> = { object: 'records', array: 'arrays', string: 'strings', number: 'numbers', boolean: 'booleans', null: 'nulls' };
const JSON_A: Record<Kind, string> = { object: 'a JSON object', array: 'a JSON array', string: 'a JSON string', number: 'a JSON number', boolean: 'a JSON boolean', null: 'a JSON null' };

/** Significant digits of a JSON number's text: leading zeros and a fraction's trailing zeros do not count. */
function significantDigits(token: string): number {
  const mantissa = token.replace(/^-/, '').split(/[eE]/)[0];
  const [int, frac = ''] = mantissa.split('.');
  const digits = (int + frac.replace(/0+$/, '')).replace(/^0+/, '');
  return digits.length;
}

const LONG_NUMBER = 'a number with more than 15 significant digits: JSON readers round it (write it as a string)';

/** The values of one list (the top level, or a top-level array's elements), kept compactly: a file may hold millions. */
class Values {
  readonly lines: number[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly kinds = new Set<Kind>();
  /** The first value that is not a record. */
  odd?: { index: number; kind: Kind; line: number };
  /** Whether each value ended on the line it started on; the first one's alone. */
  oneLine = true;
  firstOneLine?: boolean;
  private lastLine = 0;

  constructor(private readonly ranges: boolean) {}

  start(kind: Kind, line: number, at: number): void {
    if (kind !== 'object' && !this.odd) this.odd = { index: this.lines.length, kind, line };
    this.kinds.add(kind);
    this.lines.push(line);
    this.lastLine = line;
    if (this.ranges) this.starts.push(at);
  }

  end(line: number, at: number): void {
    const one = line === this.lastLine;
    this.oneLine &&= one;
    this.firstOneLine ??= one;
    if (this.ranges) this.ends.push(at);
  }

  /** Byte ranges of records (see `JsonShape.ranges`). */
  range(): { ranges?: [number, number][] } {
    return this.ranges ? { ranges: this.starts.map((s, i) => [s, this.ends[i] ?? s] as [number, number]) } : {};
  }
}

/**
 * Scans a JSON file; throws an `InputError` naming the file (and the line, where one is to blame)
 * for what is not a list of records: nesting past `MAX_JSON_DEPTH`, a document that is not records,
 * an empty one, one that ends early, or an NDJSON record that does not end on its line.
 */
export async function scanJson(path: string, label: string, opts: { ndjson?: boolean; ranges?: boolean } = {}): Promise<JsonShape> {
  const scanner = new JsonScanner(label, opts);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) scanner.feed(chunk);
  return scanner.finish();
}

/**
 * The state of `scanJson` between chunks. `feed` copies the hot part into locals and back: V8 keeps
 * the variables of an async function in a heap context, and the byte loop ran several times slower on them.
 */
class JsonScanner {
  private readonly stack: number[] = []; // 0x5b array, 0x7b object
  private readonly keys: string[] = []; // the last key of each open object
  private line = 1;
  private offset = 0;
  private inString = false;
  private escaped = false;
  // A key being read: where it starts in the current chunk, and its bytes from earlier chunks.
  private keyStart = -1;
  private keyCarry: Buffer | undefined;
  private expectKey = false;
  // A number being read at a record's level: where it starts in the current chunk, and its text from earlier chunks.
  private number: { start: number; carry: string; line: number; key: string } | undefined;
  private topKind: Kind | undefined;
  private readonly tops: Values;
  private readonly elements: Values;
  // Arrays held by the keys of a single top-level object, as in {"data": [...]}.
  private held: { key: string; records: number; others: number } | undefined;
  private wrapper: { key: string; records: number } | undefined;
  private readonly findings: Finding[] = [];

  constructor(
    private readonly label: string,
    private readonly opts: { ndjson?: boolean; ranges?: boolean },
  ) {
    this.tops = new Values(opts.ranges === true);
    this.elements = new Values(opts.ranges === true);
  }

  // NDJSON: once the first record sits on one line, every record must (one cut short runs into the next).
  private ndjson(): boolean {
    return this.opts.ndjson === true || (this.topKind === 'object' && this.tops.firstOneLine === true);
  }

  /** Ends the number being read at byte `end` of `chunk`; flags it when it holds more digits than a double keeps. */
  private endNumber(chunk: Buffer | undefined, end: number): void {
    const n = this.number!;
    this.number = undefined;
    // Fifteen characters hold at most fifteen digits: most numbers need no more look.
    if (n.carry.length + end - n.start <= 15) return;
    const text = n.carry + (chunk ? chunk.toString('latin1', n.start, end) : '');
    if (significantDigits(text) > 15) this.findings.push({ line: n.line, column: n.key, value: text, reason: LONG_NUMBER, severity: 'error' });
  }

  feed(chunk: Buffer): void {
    const { stack, keys, label, tops, elements } = this;
    let { line, inString, escaped, expectKey } = this;
    const offset = this.offset;
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    const bom = offset === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    for (let i = bom; i < bytes.length; i++) {
      if (inString && !escaped) {
        // Most of a file is inside strings: run to the next byte that matters there.
        let j = i;
        while (j < bytes.length && bytes[j] !== 0x22 && bytes[j] !== 0x5c && bytes[j] !== 0x0a) j++;
        if (j === bytes.length) break;
        i = j;
      }
      const b = bytes[i];
      if (inString) {
        if (b === 0x0a) line++;
        if (escaped) escaped = false;
        else if (b === 0x5c) escaped = true;
        else if (b === 0x22) {
          inString = false;
          if (this.keyStart >= 0) {
            const part = chunk.subarray(this.keyStart, i);
            keys[keys.length - 1] = (this.keyCarry ? Buffer.concat([this.keyCarry, part]) : part).toString('utf8');
            this.keyStart = -1;
            this.keyCarry = undefined;
          }
        }
        continue;
      }
      if (this.number) {
        if ((b >= 0x30 && b <= 0x39) || b === 0x2e || b === 0x65 || b === 0x45 || b === 0x2b || b === 0x2d) continue;
        this.endNumber(chunk, i);
      }
      if (b === 0x0a) {
        if (stack.length && this.ndjson()) {
          throw new InputError(`${label}:${tops.lines[tops.lines.length - 1]}: invalid JSON: this record does not end on its line (NDJSON holds one record per line)`);
        }
        line++;
        continue;
      }
      if (b === 0x20 || b === 0x09 || b === 0x0d) continue;
      const depth = stack.length;
      if (b === 0x2c || b === 0x3a) {
        expectKey = b === 0x2c && stack[depth - 1] === 0x7b;
        continue;
      }
      if (b === 0x7d || b === 0x5d) {
        stack.pop();
        keys.pop();
        const at = offset + i + 1;
        if (depth === 1) tops.end(line, at);
        if (depth === 2 && this.topKind === 'array') elements.end(line, at);
        if (depth === 2 && this.held) {
          if (this.held.records && !this.held.others) this.wrapper ??= { key: this.held.key, records: this.held.records };
          this.held = undefined;
        }
        expectKey = false;
        continue;
      }
      if (b === 0x22 && stack[depth - 1] === 0x7b && expectKey) {
        inString = true;
        if (depth <= 2) this.keyStart = i + 1;
        continue;
      }
      // A value starts here.
      const kind = kindOf(b);
      if (depth === 0) {
        this.topKind ??= kind;
        tops.start(kind, line, offset + i);
      } else if (depth === 1 && this.topKind === 'array') {
        elements.start(kind, line, offset + i);
      } else if (depth === 2 && this.held) {
        if (kind === 'object') this.held.records++;
        else this.held.others++;
      }
      if (kind === 'object' || kind === 'array') {
        if (depth + 1 > MAX_JSON_DEPTH) throw new InputError(`${label}:${line}: nested deeper than ${MAX_JSON_DEPTH} levels: not a list of records`);
        if (kind === 'array' && depth === 1 && this.topKind === 'object' && tops.lines.length === 1) this.held = { key: keys[0], records: 0, others: 0 };
        stack.push(b);
        keys.push('');
        expectKey = kind === 'object';
        continue;
      }
      if (kind === 'string') inString = true;
      else if (kind === 'number' && depth === (this.topKind === 'array' ? 2 : 1) && stack[depth - 1] === 0x7b) this.number = { start: i, carry: '', line, key: keys[depth - 1] };
    }
    if (this.number) {
      this.number.carry += chunk.toString('latin1', this.number.start);
      this.number.start = 0;
    }
    // A key still open at the end of the chunk keeps its bytes for the next.
    if (this.keyStart >= 0) {
      const part = chunk.subarray(this.keyStart);
      this.keyCarry = this.keyCarry ? Buffer.concat([this.keyCarry, part]) : Buffer.from(part);
      this.keyStart = 0;
    }
    Object.assign(this, { line, inString, escaped, expectKey, offset: offset + bytes.length });
  }

  /** What the file holds, once every chunk is fed; an `InputError` for what is not a list of records. */
  finish(): JsonShape {
    const { label, stack, inString, line, tops, elements, topKind, findings, wrapper } = this;
    if (this.number) this.endNumber(undefined, 0);

    if (inString || stack.length) {
      const inside = [...(inString ? ['a string'] : []), ...[...stack].reverse().map((c) => (c === 0x7b ? 'an object' : 'an array'))];
      throw new InputError(`${label}:${line}: the JSON ends inside ${inside.join(', in ')}: is the file truncated?`);
    }
    if (!tops.lines.length) throw new InputError(`${label}: the file is empty: no records`);
    if (topKind === 'array') {
      if (!elements.lines.length) throw new InputError(`${label}: an empty JSON array: no records`);
      const odd = elements.odd;
      if (odd) {
        if (elements.kinds.size === 1) throw new InputError(`${label}: a JSON array of ${MANY[odd.kind]}, not of records (objects with named fields)`);
        throw new InputError(`${label}:${odd.line}: element ${odd.index + 1} of the array is ${A[odd.kind]}, not a record`);
      }
      return { kind: 'array', lines: elements.lines, oneLine: false, findings, ...elements.range() };
    }
    if (topKind !== 'object') throw new InputError(`${label}: ${JSON_A[topKind!]}, not an array of records`);
    if (tops.lines.length === 1 && wrapper) {
      throw new InputError(
        `${label}: a JSON object, not an array of records: its key '${wrapper.key}' holds an array of ${wrapper.records} records (load that array, e.g. jq '.${wrapper.key}' FILE > records.json)`,
      );
    }
    const odd = tops.odd;
    if (odd) throw new InputError(`${label}:${odd.line}: value ${odd.index + 1} is ${A[odd.kind]}, not a record`);
    return { kind: 'records', lines: tops.lines, oneLine: tops.oneLine, findings, ...tops.range() };
  }
}
