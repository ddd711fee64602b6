import { StatementType, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { ApiError, type Said } from './problem.ts';

/**
 * Table functions a query may read from, as DuckDB's bound plan names them: tables of the
 * analysts' database (`seq_scan`), generators, and the catalog functions behind DESCRIBE, SHOW
 * and information_schema. Not `duckdb_settings`, `duckdb_databases`, `duckdb_extensions`,
 * `duckdb_temporary_files`, `duckdb_secrets`...: they show paths and configuration.
 */
const ALLOWED_SCANS = new Set([
  'seq_scan',
  'range',
  'generate_series',
  'unnest',
  'json_each',
  'json_tree',
  'pragma_table_info',
  'duckdb_tables',
  'duckdb_views',
  'duckdb_columns',
  'duckdb_schemas',
  'duckdb_types',
  'duckdb_functions',
  'duckdb_constraints',
  'duckdb_indexes',
  'duckdb_keywords',
]);

/** Scalar functions that read the configuration, the environment or secrets. */
const DENIED_FUNCTIONS = new Set(['current_setting', 'getenv', 'which_secret', 'json_execute_serialized_sql']);

const refused = (detail: Said) => new ApiError(403, 'Query not allowed', detail);

/** A statement DuckDB parsed and prepared, checked to be one query that reads the analysts' tables only. */
export interface CheckedQuery {
  prepared: DuckDBPreparedStatement;
}

function* walk(node: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(node)) for (const n of node) yield* walk(n);
  else if (node && typeof node === 'object') {
    yield node as Record<string, unknown>;
    for (const v of Object.values(node)) yield* walk(v);
  }
}

/**
 * Decides whether `sql` may run, from DuckDB's own parse and bind of that exact text (never a
 * rewritten copy): DuckDB must split it into exactly one statement, prepare it as a SELECT, be
 * able to serialise its parse tree (so PRAGMA, CALL and other statements dressed as SELECT are
 * out), and its bound plan may scan only `ALLOWED_SCANS` and call no `DENIED_FUNCTIONS`. EXPLAIN
 * is not a query: the caller wraps a checked query instead (see `explainText`).
 *
 * The connection is the analysts' own (see `AnalystDatabase`): what this misses still meets an
 * instance with no files, no network, no configuration changes and nothing but the marts.
 *
 * Throws ApiError 400 (not one statement, DuckDB's syntax or binding error) or 403 (refused).
 */
export async function checkQuery(conn: DuckDBConnection, sql: string): Promise<CheckedQuery> {
  const statements = await conn.extractStatements(sql).catch((err: Error) => {
    throw new ApiError(400, 'SQL error', err.message);
  });
  if (statements.count !== 1) throw new ApiError(400, 'Bad request', { en: `send exactly one statement (got ${statements.count})`, es: `envíe exactamente una sentencia (llegaron ${statements.count})` });
  const prepared = await statements.prepare(0).catch((err: Error) => {
    throw sqlError(err);
  });
  const type = prepared.statementType;
  if (type === StatementType.EXPLAIN) {
    throw refused({
      en: 'EXPLAIN is added by the server: send the query alone with "explain": "plan" (or "analyze" to run it and time each step)',
      es: 'el servidor añade EXPLAIN: envíe la consulta sola y pida el plan con el botón Plan (o Plan con tiempos)',
    });
  }
  if (type !== StatementType.SELECT) {
    throw refused({
      en: `only queries may run here (SELECT, WITH, FROM, VALUES, TABLE, DESCRIBE, SHOW, SUMMARIZE, PIVOT); this is ${StatementType[type] ?? type}`,
      es: `aquí solo se ejecutan consultas (SELECT, WITH, FROM, VALUES, TABLE, DESCRIBE, SHOW, SUMMARIZE, PIVOT); esta es ${StatementType[type] ?? type}`,
    });
  }
  const parsed = await serialized(conn, 'json_serialize_sql', sql);
  if (parsed.error) throw refused(`only plain queries may run here (${String(parsed.error_message ?? 'not a query')})`);
  const plan = await serialized(conn, 'json_serialize_plan', sql);
  if (plan.error && prepared.parameterCount > 0) {
    throw new ApiError(400, 'SQL error', {
      en: 'DuckDB cannot plan this query until its parameters have types: cast each one where it is used, e.g. $1::VARCHAR or $2::DATE',
      es: 'DuckDB no puede planear la consulta hasta que sus parámetros tengan tipo: convierta cada uno donde se usa, p. ej. $1::VARCHAR o $2::DATE',
    });
  }
  if (plan.error) throw refused(`DuckDB cannot show this query's plan, so it cannot be checked (${String(plan.error_message)}); for PIVOT, list the values: PIVOT t ON col IN (...)`);
  for (const node of walk(plan)) {
    if (node.type === 'LOGICAL_GET' && typeof node.name === 'string' && !ALLOWED_SCANS.has(node.name)) {
      throw refused({ en: `${node.name}() is not readable here: analyst SQL reads the published marts only`, es: `${node.name}() no se puede leer aquí: el SQL de análisis lee solo los marts publicados` });
    }
    if (typeof node.expression_class === 'string' && typeof node.name === 'string' && DENIED_FUNCTIONS.has(node.name)) {
      throw refused({ en: `${node.name}() is not available here: settings, environment and secrets are not readable`, es: `${node.name}() no está disponible aquí: la configuración, el entorno y los secretos no se pueden leer` });
    }
  }
  return { prepared };
}

/**
 * The text that runs for `explain`: the checked query after EXPLAIN [ANALYZE], on a line of its
 * own. DuckDB must read the result as exactly one EXPLAIN statement, or it does not run.
 */
export async function explainText(conn: DuckDBConnection, sql: string, mode: 'plan' | 'analyze'): Promise<string> {
  const text = `${mode === 'analyze' ? 'EXPLAIN ANALYZE' : 'EXPLAIN'}\n${sql}\n`;
  const statements = await conn.extractStatements(text).catch((err: Error) => {
    throw new ApiError(400, 'SQL error', err.message);
  });
  const prepared = statements.count === 1 ? await statements.prepare(0).catch((err: Error) => { throw sqlError(err); }) : undefined;
  if (!prepared || prepared.statementType !== StatementType.EXPLAIN) throw refused('this query cannot be explained as one statement');
  return text;
}

/** DuckDB's error as the analyst should see it: refusals of the instance (files, writes) are 403, the rest 400. */
export function sqlError(err: Error): ApiError {
  const m = err.message;
  if (/^Permission Error|read-only mode|configuration has been locked|disabled (by|through) configuration/i.test(m)) return refused(m);
  return new ApiError(400, 'SQL error', m);
}

async function serialized(conn: DuckDBConnection, fn: 'json_serialize_sql' | 'json_serialize_plan', sql: string): Promise<Record<string, unknown>> {
  const r = await conn.runAndReadAll(`select ${fn}($1::varchar)`, [sql]).catch((err: Error) => {
    throw sqlError(err);
  });
  return JSON.parse(String(r.getRowsJson()[0][0])) as Record<string, unknown>;
}
