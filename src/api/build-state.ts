import type { Params, Row } from '../db/warehouse.ts';

/** What the latest committed build is, read once per build instead of once per request. */
export interface BuildInfo {
  buildId: string | null;
  asOf: string | null;
  finished: string | null;
  /** The currency `*_reporting` columns are in, when the build recorded it. */
  reportingCurrency: string | null;
  /** Relations (tables, views) and table macros present in this build. */
  relations: Set<string>;
}

function reportingCurrencyOf(options: unknown): string | null {
  let o = options;
  if (typeof o === 'string') {
    try {
      o = JSON.parse(o);
    } catch {
      return null;
    }
  }
  if (!o || typeof o !== 'object') return null;
  const r = o as Record<string, unknown>;
  const v = r.reporting_currency ?? r.reportingCurrency ?? r.currency;
  return typeof v === 'string' && v ? v.toUpperCase() : null;
}

/**
 * Reads the publication a connection sees (the newest `builds` row) and what the warehouse holds.
 *
 * @example
 *   const info = await readBuildInfo((sql, p) => wh.all(sql, p));
 */
export async function readBuildInfo(read: (sql: string, params?: Params) => Promise<Row[]>): Promise<BuildInfo> {
  const names = (await read(
    `select table_name as name from duckdb_tables() where not temporary and schema_name = 'main'
     union select view_name from duckdb_views() where not internal and schema_name = 'main'
     union select function_name from duckdb_functions() where function_type = 'table_macro' and schema_name = 'main' and not internal`,
  )) as { name: string }[];
  const relations = new Set(names.map((n) => n.name));
  const build = relations.has('builds') ? (await read(`select * from builds order by build_id desc limit 1`))[0] : undefined;
  const envCurrency = process.env.CARTERA_REPORTING_CURRENCY?.toUpperCase() || null;
  return {
    buildId: build?.build_id != null ? String(build.build_id) : null,
    asOf: build?.as_of != null ? String(build.as_of) : null,
    finished: build?.finished != null ? String(build.finished) : null,
    reportingCurrency: reportingCurrencyOf(build?.options) ?? envCurrency,
    relations,
  };
}
