import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Warehouse } from '../../db/warehouse.ts';
import { ident, lit } from '../value-formats.ts';
import { stageName } from './stage.ts';

/** One row of text cells taken out of a workbook or similar, with its own line (or row) number. */
export interface TextRow {
  line: number;
  cells: (string | null)[];
}

/**
 * Writes rows of text cells into a text stage table, with an explicit line number per row, as they
 * come: each row goes to an NDJSON file at once (so a million-row sheet is never held in memory),
 * and DuckDB bulk-loads the file at the end.
 *
 * @example
 *   const w = new StageWriter(['Folio', 'Total']);
 *   w.add({ line: 2, cells: ['F1', '10.5'] });
 *   const table = await w.finish(wh);
 */
export class StageWriter {
  private readonly dir = mkdtempSync(join(tmpdir(), 'cartera-stage-'));
  private readonly file = join(this.dir, 'rows.ndjson');
  private readonly fd = openSync(this.file, 'w');
  private buffer: string[] = [];
  private buffered = 0;
  private rows = 0;

  constructor(readonly headers: string[]) {}

  add(row: TextRow): void {
    const text = JSON.stringify([row.line, ...this.headers.map((_, i) => row.cells[i] ?? null)]) + '\n';
    this.buffer.push(text);
    this.buffered += text.length;
    this.rows++;
    if (this.buffered >= 1 << 20) this.flush();
  }

  /** Loads what was written into a new temporary table and returns its name; removes the file. */
  async finish(wh: Warehouse): Promise<string> {
    const table = stageName();
    try {
      this.flush();
      closeSync(this.fd);
      const cols = this.headers.map((h, i) => `(r[${i + 2}] ->> '$') as ${ident(h)}`).join(', ');
      if (this.rows) {
        await wh.run(
          `create temp table ${table} as select ${cols}${cols ? ', ' : ''}r[1]::bigint as __line
           from read_json(${lit(this.file)}, format = 'newline_delimited', columns = {r: 'JSON[]'}, records = false) t(r)`,
        );
      } else {
        await wh.run(`create temp table ${table} (${[...this.headers.map((h) => `${ident(h)} VARCHAR`), '__line BIGINT'].join(', ')})`);
      }
      return table;
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private flush(): void {
    if (this.buffer.length) writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.buffered = 0;
  }
}
