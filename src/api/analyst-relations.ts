/**
 * What analysts may read: the marts (`fct_`, `dim_`, `kpi_`, `agg_`, `ar_aging`), the risk model's
 * output and the builds. A SQL predicate on a column `name`, for queries on DuckDB's catalog.
 */
export const ANALYST_RELATIONS = `(regexp_matches(name, '^(fct|dim|kpi|agg)_') or name in ('ar_aging', 'risk_scores', 'risk_cash_forecast', 'risk_models', 'call_list', 'builds'))`;

/** The macro files analysts' database gets (`sql/macros/<name>.sql`): the aging macros and what they call. */
export const ANALYST_MACRO_FILES = ['aging_bucket', 'aging_with', 'aging_at'] as const;
