import type { Context } from 'hono';
import { collectorScope, type ApiEnv } from './env.ts';
import { badRequest } from './problem.ts';

/** Which KPI table answers a request, and the filter on it. */
export interface KpiSource {
  table: 'kpi_monthly' | 'kpi_monthly_by_segment' | 'kpi_monthly_by_collector' | 'kpi_monthly_by_country';
  /** SQL condition with `$1` bound to `params[0]`, or 'true'. */
  where: string;
  params: string[];
}

/**
 * KPIs are computed per month for the whole book and per segment, collector and country by the
 * models; the API picks the table instead of re-aggregating. One dimension at a time, because
 * those are the tables there are. A collector-scoped key always reads its collector's table.
 */
export function kpiSource(c: Context<ApiEnv>, q: { segment?: string; collector?: string; country?: string }): KpiSource {
  const collector = collectorScope(c, q.collector);
  const given = [
    q.segment !== undefined && 'segment',
    collector !== undefined && 'collector',
    q.country !== undefined && 'country',
  ].filter(Boolean);
  if (given.length > 1) {
    throw badRequest(`give at most one of 'segment', 'collector', 'country' (got ${given.join(', ')}): KPIs are kept per one dimension at a time`);
  }
  if (q.segment !== undefined) return { table: 'kpi_monthly_by_segment', where: 'segment = $1', params: [q.segment] };
  if (collector !== undefined) return { table: 'kpi_monthly_by_collector', where: 'collector = $1', params: [collector] };
  if (q.country !== undefined) return { table: 'kpi_monthly_by_country', where: 'country = $1', params: [q.country] };
  return { table: 'kpi_monthly', where: 'true', params: [] };
}
