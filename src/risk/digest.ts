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

/**
 * SQL: each customer (customer_id) whose hash h differs between `nowSql` and `oldSql` (both customer_id, h), on
 * either side: added, changed or gone. A row without a customer number matches no invoice, and is left out.
 */
export const changedCustomersSql = (nowSql: string, oldSql: string): string => `
  select coalesce(now.customer_id, old.customer_id) as customer_id
  from (${nowSql}) as now
  full join (${oldSql}) as old on old.customer_id = now.customer_id
  where old.h is distinct from now.h and coalesce(now.customer_id, old.customer_id) is not null`;
