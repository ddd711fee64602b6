import { InputError } from '../../db/errors.ts';
import type { Warehouse } from '../../db/warehouse.ts';
import type { FileScan } from '../files.ts';
import { ident, lit } from '../sql-text.ts';
import { positionExpr, stageName, type Stage } from './stage.ts';

/** Loads a Parquet file into a text stage (typed values become their canonical text: ISO dates, plain decimals). */
export async function readParquet(wh: Warehouse, path: string, label: string, scan: FileScan): Promise<Stage> {
  if (scan.bytes === 0) throw new InputError(`${label}: the file is empty (0 bytes)`);
  if (scan.head.subarray(0, 4).toString('latin1') !== 'PAR1') throw new InputError(`${label}: not a Parquet file (it does not start with PAR1)`);
  const table = stageName();
  const cols = await wh.all<{ column_name: string }>(`select column_name from (describe select * from read_parquet(${lit(path)}))`);
  const select = cols.map((c) => `cast(${ident(c.column_name)} as varchar) as ${ident(c.column_name)}`).join(', ');
  await wh.run(`create temp table ${table} as select ${select} from read_parquet(${lit(path)})`);
  return { source: table, table, headers: cols.map((c) => c.column_name), lineExpr: `(${await positionExpr(wh, table)} + 1)`, lineKind: 'record', format: 'parquet', malformed: [], dialect: {} };
}
