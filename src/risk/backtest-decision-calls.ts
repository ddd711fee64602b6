import type { Warehouse } from '../db/warehouse.ts';
import { riskSql } from './sql.ts';

/** How much one ordering's first calls cover at one month-end (or pooled: as_of null). Money is DECIMAL text. */
export interface CoverageRow {
  as_of: string | null;
  ordering: 'model' | 'overdue_balance' | 'days_past_due';
  calls: number;
  top_calls: number;
  newly_late_amount: string;
  newly_late_covered: string;
  /** newly_late_covered / newly_late_amount; null when nothing became late. */
  newly_late_share: number | null;
  collected_later: string;
  collected_covered: string;
  collected_share: number | null;
}

export interface CallListCoverage {
  byMonthEnd: CoverageRow[];
  /** Sums over the month-ends, one row per ordering. */
  pooled: CoverageRow[];
}

const COVERAGE_SQL = riskSql('decision_call_coverage.sql');
const ORDER = `case ordering when 'model' then 0 when 'overdue_balance' then 1 else 2 end`;

/**
 * Replays the call list at each month-end of `risk_backtest_decision` and measures the share of
 * the next 30 days' newly late amount, and of the amount later collected, that its first
 * `topShare` of calls covers, for the model's order and the two rule-of-thumb orders.
 */
export async function callListCoverage(wh: Warehouse, topShare: number): Promise<CallListCoverage> {
  await wh.run(`create or replace temp table risk_decision_coverage as ${COVERAGE_SQL}`, { top_share: topShare });
  const shares = `(newly_late_covered / nullif(newly_late_amount, 0))::double as newly_late_share,
    collected_later, collected_covered, (collected_covered / nullif(collected_later, 0))::double as collected_share`;
  const byMonthEnd = await wh.all<CoverageRow>(
    `select as_of, ordering, calls, top_calls, newly_late_amount, newly_late_covered, ${shares}
     from risk_decision_coverage order by as_of, ${ORDER}`,
  );
  const pooled = await wh.all<CoverageRow>(
    `select null as as_of, ordering, calls, top_calls, newly_late_amount, newly_late_covered, ${shares}
     from (select ordering, sum(calls)::integer as calls, sum(top_calls)::integer as top_calls,
             sum(newly_late_amount) as newly_late_amount, sum(newly_late_covered) as newly_late_covered,
             sum(collected_later) as collected_later, sum(collected_covered) as collected_covered
           from risk_decision_coverage group by ordering)
     order by ${ORDER}`,
  );
  await wh.run('drop table if exists temp.risk_decision_coverage');
  return { byMonthEnd, pooled };
}
