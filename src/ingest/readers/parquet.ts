import type { Warehouse } from '../../db/warehouse.ts';
import { ident, lit } from '../value-formats.ts';
import { positionExpr, stageName, type Stage } from './stage.ts';

/** Loads a Parquet file into a text stage (typed values become their canonical text: ISO dates, plain decimals). */
export async function readParquet(wh: Warehouse, path: string): Promise<Stage> {
  const table = stageName();
  const cols = await wh.all<{ column_name: string }>(`select column_name from (describe select * from read_parquet(${lit(path)}))`);
  const select = cols.map((c) => `cast(${ident(c.column_name)} as varchar) as ${ident(c.column_name)}`).join(', ');
  await wh.run(`create temp table ${table} as select ${select} from read_parquet(${lit(path)})`);
  return { source: table, table, headers: cols.map((c) => c.column_name), lineExpr: `(${await positionExpr(wh, table)} + 1)`, lineKind: 'record', format: 'parquet', malformed: [], dialect: {} };
}
