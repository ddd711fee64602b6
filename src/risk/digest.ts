import type { Warehouse } from '../db/warehouse.ts';

/**
 * The first day whose count or hash differs between two digests: rows (fact, day, n, h) as sql/risk/feature_digest.sql
 * makes them, today's and those a store kept (`nowSql`, `oldSql`; `params` bound to both). Null when none differs.
 */
export async function firstDifferentDay(wh: Warehouse, nowSql: string, oldSql: string, params: Record<string, string | number>): Promise<string | null | undefined> {
  return wh.scalar<string | null>(
    `select min(coalesce(now.day, old.day))::varchar
     from (${nowSql}) as now
     full join (${oldSql}) as old on old.fact = now.fact and old.day = now.day
     where old.n is distinct from now.n or old.h is distinct from now.h`,
    params,
  );
}
