import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Warehouse } from '../../db/warehouse.ts';
import { ident, lit } from '../value-formats.ts';
import { stageName } from './stage.ts';

/**
 * Writes rows of text cells (already taken out of a workbook or similar) into a text stage table,
 * with an explicit line number per row. Goes through NDJSON so DuckDB does the bulk insert.
 */
export async function stageFromRows(wh: Warehouse, headers: string[], rows: { line: number; cells: (string | null)[] }[]): Promise<string> {
  const table = stageName();
  const dir = mkdtempSync(join(tmpdir(), 'cartera-stage-'));
  try {
    const file = join(dir, 'rows.ndjson');
    writeFileSync(
      file,
      rows.map((r) => JSON.stringify([r.line, ...headers.map((_, i) => r.cells[i] ?? null)])).join('\n'),
    );
    const cols = headers.map((h, i) => `(r[${i + 2}] ->> '$') as ${ident(h)}`).join(', ');
    if (rows.length) {
      await wh.run(
        `create temp table ${table} as select ${cols}${cols ? ', ' : ''}r[1]::bigint as __line
         from read_json(${lit(file)}, format = 'newline_delimited', columns = {r: 'JSON[]'}, records = false) t(r)`,
      );
    } else {
      await wh.run(`create temp table ${table} (${[...headers.map((h) => `${ident(h)} VARCHAR`), '__line BIGINT'].join(', ')})`);
    }
    return table;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
