import { DuckDBDecimalType, DuckDBTypeId, type DuckDBResultReader, type DuckDBValue } from '@duckdb/node-api';
import { ChartError, renderVegaLiteToSvg, type DataRow } from '../render/vega-svg.ts';
import { NotebookError, NotReadyError } from './errors.ts';
import { bindPlaceholders, resolveParams, type ResolvedParam } from './params.ts';
import type { Notebook } from './parse.ts';

/** Runs one bound, read-only query: a Warehouse's `result` or the API read pool's. */
export type RunQuery = (sql: string, params: Record<string, DuckDBValue>) => Promise<DuckDBResultReader>;

/** How many rows of each result the report shows. */
export const TABLE_ROWS = 20;

export interface ResultColumn {
  name: string;
  numeric: boolean;
  /** Digits after the point of a DECIMAL column, so money shows as 1.200,00 and not 1.200. */
  scale?: number;
}

export type RunCell =
  | { kind: 'prose'; markdown: string }
  | { kind: 'table'; name: string; line: number; hidden: boolean; columns: ResultColumn[]; rows: Record<string, unknown>[]; rowCount: number }
  | { kind: 'chart'; name?: string; line: number; svg: string };

/** A notebook after running: what the HTML report shows. */
export interface NotebookRun {
  notebook: Notebook;
  params: ResolvedParam[];
  cells: RunCell[];
}

const NUMERIC = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT, DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT, DuckDBTypeId.UINTEGER, DuckDBTypeId.UBIGINT, DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.FLOAT, DuckDBTypeId.DOUBLE, DuckDBTypeId.DECIMAL,
]);

/**
 * Rows for charts: the JSON-safe rows carry DECIMAL and BIGINT as strings, which Vega would
 * treat as text, so numeric columns become numbers here (display precision is all a chart needs).
 */
function chartRows(columns: ResultColumn[], rows: Record<string, unknown>[]): DataRow[] {
  const numeric = columns.filter((c) => c.numeric).map((c) => c.name);
  if (!numeric.length) return rows;
  return rows.map((row) => {
    const out = { ...row };
    for (const name of numeric) if (typeof out[name] === 'string') out[name] = Number(out[name]);
    return out;
  });
}

// Which command makes each table a notebook may find missing; anything else comes from the build.
const MADE_BY: Record<string, string> = {
  risk_backtest: 'cartera backtest --train-until YYYY-MM-DD',
  risk_models: 'cartera score',
  risk_scores: 'cartera score',
  call_list: 'cartera score',
};

/** The table DuckDB's message says does not exist, if that is what it says. */
const missingTable = (message: string) => /Table with name (\w+) does not exist/.exec(message)?.[1];

/** DuckDB's message, plus the command to run when the block reads a table the warehouse lacks. */
function explain(message: string): string {
  const missing = missingTable(message);
  if (!missing) return message;
  return `${message.split('\n')[0]} (make it with: ${MADE_BY[missing] ?? 'cartera build'})\n${message.split('\n').slice(1).join('\n')}`.trimEnd();
}

/**
 * Runs a notebook's blocks in order against the warehouse: each SQL block with its `${param}`
 * placeholders bound as DuckDB named parameters, each chart drawn to SVG from the results
 * before it. Throws ParamError for bad parameter values and NotebookError naming the block
 * (and DuckDB's message) for anything that fails.
 *
 * @example
 *   const run = await withWarehouse(db, (wh) => runNotebook(nb, (sql, p) => wh.result(sql, p), { segmento: 'pyme' }),
 *     { readOnly: true });
 */
export async function runNotebook(nb: Notebook, query: RunQuery, given: Record<string, string> = {}): Promise<NotebookRun> {
  const params = resolveParams(nb.params, given);
  const declared = new Map([...params].map(([name, p]) => [name, p.spec.type]));
  const datasets: Record<string, DataRow[]> = {};
  const cells: RunCell[] = [];

  for (const cell of nb.cells) {
    if (cell.kind === 'prose') {
      cells.push(cell);
    } else if (cell.kind === 'sql') {
      const where = { name: cell.name, line: cell.line };
      let bound: ReturnType<typeof bindPlaceholders>;
      try {
        bound = bindPlaceholders(cell.sql, declared);
      } catch (err) {
        throw new NotebookError(nb.source, (err as Error).message, where);
      }
      // Bind only the parameters this block uses: DuckDB refuses values it has no slot for.
      const values = Object.fromEntries(bound.names.map((n) => [n, params.get(n)!.value]));
      let result: DuckDBResultReader;
      try {
        result = await query(bound.sql, values);
      } catch (err) {
        const message = (err as Error).message;
        const table = missingTable(message);
        if (table && MADE_BY[table]) throw new NotReadyError(nb.source, explain(message), where, table, MADE_BY[table]);
        throw new NotebookError(nb.source, explain(message), where);
      }
      const columns = result.columnNames().map((name, i): ResultColumn => {
        const type = result.columnType(i);
        return { name, numeric: NUMERIC.has(type.typeId), ...(type instanceof DuckDBDecimalType ? { scale: type.scale } : {}) };
      });
      const rows = result.getRowObjectsJson() as Record<string, unknown>[];
      datasets[cell.name] = chartRows(columns, rows);
      cells.push({ kind: 'table', name: cell.name, line: cell.line, hidden: cell.hidden, columns, rows: rows.slice(0, TABLE_ROWS), rowCount: rows.length });
    } else {
      const where = { ...(cell.name ? { name: cell.name } : {}), line: cell.line };
      try {
        const svg = await renderVegaLiteToSvg(cell.spec, datasets, { locale: nb.locale });
        cells.push({ kind: 'chart', ...where, svg });
      } catch (err) {
        const msg = err instanceof ChartError ? err.message : `chart failed: ${(err as Error).message}`;
        throw new NotebookError(nb.source, msg, where);
      }
    }
  }
  return { notebook: nb, params: [...params.values()], cells };
}
