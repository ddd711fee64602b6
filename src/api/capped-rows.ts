import { JsonDuckDBValueConverter, type DuckDBResult } from '@duckdb/node-api';
import type { TableLike } from './tabular.ts';

/** How much of a result may come back. */
export interface RowCaps {
  rows: number;
  /** Bytes of the rows as JSON text: what every format's size follows. */
  bytes: number;
  /** performance.now() past which reading stops with `TimeLimitError`. */
  deadline: number;
}

/** Why a result was cut short, for the body and every download. */
export type Truncation = { by: 'rows' | 'bytes'; limit: number } | null;

export class TimeLimitError extends Error {}

/**
 * Reads a streaming result chunk by chunk until it ends or a cap is reached, checking the
 * deadline after each chunk (DuckDB's own execution is interrupted at the deadline by the caller).
 */
export async function readCapped(result: DuckDBResult, caps: RowCaps): Promise<{ table: TableLike; rowCount: number; truncation: Truncation }> {
  const rows: unknown[][] = [];
  let bytes = 0;
  let truncation: Truncation = null;
  // Row by row, not chunk by chunk: one chunk of huge values must not be converted whole before the cap is seen.
  outer: for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    for (let i = 0; i < chunk.rowCount; i++) {
      if (rows.length >= caps.rows) {
        truncation = { by: 'rows', limit: caps.rows };
        break outer;
      }
      const row = chunk.convertRowValues(i, JsonDuckDBValueConverter);
      const size = JSON.stringify(row).length;
      if (bytes + size > caps.bytes) {
        truncation = { by: 'bytes', limit: caps.bytes };
        break outer;
      }
      rows.push(row);
      bytes += size;
    }
    if (performance.now() > caps.deadline) throw new TimeLimitError('time limit reached while reading the result');
  }
  const names = result.columnNames();
  const types = result.columnTypes();
  return {
    rowCount: rows.length,
    truncation,
    table: {
      columnNames: () => names,
      columnTypes: () => types,
      getRowsJson: () => rows as never,
      getRowObjectsJson: () => rows.map((row) => Object.fromEntries(names.map((c, i) => [c, row[i]]))) as never,
    },
  };
}

/** The sentence every surface shows for a cut result, in Spanish and English. */
export function truncationNote(t: NonNullable<Truncation>, rows: number): { es: string; en: string } {
  return t.by === 'rows'
    ? {
        es: `Resultado recortado: solo las primeras ${rows} filas (límite de ${t.limit} filas). Agregue o filtre para ver el resto.`,
        en: `Result truncated: only the first ${rows} rows (limit ${t.limit} rows). Aggregate or filter to see the rest.`,
      }
    : {
        es: `Resultado recortado: solo las primeras ${rows} filas, por tamaño (límite de ${t.limit} bytes). Seleccione menos columnas o filas.`,
        en: `Result truncated: only the first ${rows} rows, by size (limit ${t.limit} bytes). Select fewer columns or rows.`,
      };
}
