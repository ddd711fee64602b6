import type { Warehouse } from '../db/warehouse.ts';

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

/** Reads the latest build and what the warehouse holds. */
export async function readBuildInfo(wh: Warehouse): Promise<BuildInfo> {
  const names = await wh.all<{ name: string }>(
    `select table_name as name from duckdb_tables() where not temporary and schema_name = 'main'
     union select view_name from duckdb_views() where not internal and schema_name = 'main'
     union select function_name from duckdb_functions() where function_type = 'table_macro' and schema_name = 'main' and not internal`,
  );
  const relations = new Set(names.map((n) => n.name));
  let build: Record<string, unknown> | undefined;
  if (relations.has('builds')) {
    build = await wh.one(`select * from builds order by finished desc nulls last, as_of desc limit 1`).catch(() =>
      wh.one(`select * from builds order by as_of desc limit 1`),
    );
  }
  const envCurrency = process.env.CARTERA_REPORTING_CURRENCY?.toUpperCase() || null;
  return {
    buildId: build?.build_id != null ? String(build.build_id) : null,
    asOf: build?.as_of != null ? String(build.as_of) : null,
    finished: build?.finished != null ? String(build.finished) : null,
    reportingCurrency: reportingCurrencyOf(build?.options) ?? envCurrency,
    relations,
  };
}
