import type { DuckDBConnection } from '@duckdb/node-api';
import { ApiError } from './problem.ts';

/** Statements an analyst may run: reads only. PRAGMA, CALL, SET... report SELECT too, so the text is checked as well. */
const READ_START = /^(select|with|from|values|table|describe|desc|show|summarize|explain|\()/i;

/** Table functions analysts may call: the marts' macros and functions that read nothing outside the database. */
const SAFE_TABLE_FUNCTIONS =
  /^(aging_at|aging_with|range|generate_series|unnest|json_each|json_tree|repeat_row|pragma_table_info|duckdb_(?!secrets$)[a-z_]+)$/i;

/** Functions refused anywhere in a query: they read files, the network, the environment, or run SQL text. */
const DENIED_FUNCTIONS =
  /^(read_\w+|glob|sniff_csv|parquet_\w+|iceberg_\w+|delta_\w+|\w+_scan|query|query_table|getenv|json_execute_serialized_sql|from_csv\w*|load_extension|install_extension|which_secret|duckdb_secrets)$/i;

/** Tables kept from analysts: key hashes always; the audit log unless admin. */
const PRIVATE_TABLES = new Set(['api_tokens']);

const rejected = (detail: string) => new ApiError(403, 'Query not allowed', detail);

/** Drops leading comments and blanks, so the first word is the statement's. */
export function stripLeadingComments(sql: string): string {
  return sql.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
}

function* walk(node: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(node)) for (const n of node) yield* walk(n);
  else if (node && typeof node === 'object') {
    yield node as Record<string, unknown>;
    for (const v of Object.values(node)) yield* walk(v);
  }
}

const unquote = (s: string) => s.replace(/^"(.*)"$/, '$1');

/**
 * Refuses anything but one read-only query that reads only the database: the text must start
 * like a query, hold one statement, and its parse tree (DuckDB's own `json_serialize_sql`, so
 * no regex guesses about nesting or quoting) may not name a file, a URL, a non-allowed table
 * function or a private table. Throws ApiError 400 (not one statement, unparsable) or 403.
 */
export async function guardQuery(conn: DuckDBConnection, sql: string, opts: { admin: boolean }): Promise<void> {
  const text = stripLeadingComments(sql);
  if (!READ_START.test(text)) {
    throw rejected('only read queries may run here (SELECT, WITH, FROM, VALUES, TABLE, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN)');
  }
  let count: number;
  try {
    count = (await conn.extractStatements(sql)).count;
  } catch (err) {
    throw new ApiError(400, 'SQL error', (err as Error).message);
  }
  if (count !== 1) throw new ApiError(400, 'Bad request', `send exactly one statement (got ${count})`);
  // EXPLAIN [ANALYZE] cannot be serialized; the query it explains is checked instead.
  const query = text.replace(/^explain(\s+analyze)?\s+/i, '');
  const r = await conn.runAndReadAll(`select json_serialize_sql($1::varchar)`, [query]);
  const tree = JSON.parse(String(r.getRowsJson()[0][0])) as { error: boolean; error_message?: string };
  if (tree.error) throw rejected(`only plain queries may run here (${tree.error_message ?? 'not a query'})`);
  for (const n of walk(tree)) {
    const fn = typeof n.function_name === 'string' ? n.function_name : null;
    if (fn && DENIED_FUNCTIONS.test(fn)) throw rejected(`function ${fn}() is not allowed: analyst SQL reads the warehouse only`);
    if (n.type === 'TABLE_FUNCTION') {
      const f = (n.function as Record<string, unknown> | undefined)?.function_name;
      if (typeof f === 'string' && !SAFE_TABLE_FUNCTIONS.test(f)) {
        throw rejected(`table function ${f}() is not allowed: analyst SQL reads the warehouse only`);
      }
    }
    if (typeof n.table_name === 'string' && (n.type === 'BASE_TABLE' || n.type === 'SHOW_REF')) {
      const name = unquote(n.table_name);
      if (/[/\\:.]|^'/.test(name)) throw rejected(`'${name}' looks like a file or URL: analyst SQL reads the warehouse only`);
      if (PRIVATE_TABLES.has(name.toLowerCase()) || (!opts.admin && name.toLowerCase() === 'sql_audit')) {
        throw rejected(`table ${name} is not readable through the API`);
      }
    }
  }
}
