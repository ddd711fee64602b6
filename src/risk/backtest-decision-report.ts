import { toTextTable } from '../db/writers.ts';
import type { DecisionBacktestResult } from './backtest-decision.ts';
import { DECISION_HORIZON_DAYS, TOP_CALL_SHARE } from './backtest-decision.ts';
import type { CoverageRow } from './backtest-decision-calls.ts';

const f3 = (v: number | null) => (v !== null && Number.isFinite(v) ? v.toFixed(3) : '-');
const pct = (v: number | null) => (v !== null && Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '-');

function coverageTable(rows: CoverageRow[]): string {
  return toTextTable(
    ['month_end', 'ordering', 'calls', 'first_calls', 'newly_late', 'covered', 'share', 'collected_later', 'covered', 'share'],
    rows.map((r) => [r.as_of ?? 'pooled', r.ordering, r.calls, r.top_calls, r.newly_late_amount, r.newly_late_covered, pct(r.newly_late_share), r.collected_later, r.collected_covered, pct(r.collected_share)]),
  );
}

/**
 * The text `cartera backtest --at decision` prints (English, as the issue-date backtest's):
 * per month-end AUC and Brier, then pooled scorers, reliability and lift, then the call list's coverage.
 */
export function decisionReport(r: DecisionBacktestResult): string {
  const out: string[] = [];
  const months = r.byMonthEnd.map((m) => m.as_of);
  out.push(`backtest at decision dates: trained on ${r.model.n_train} invoices with outcomes known before ${r.trainUntil} (late share ${(r.model.train_late_rate * 100).toFixed(1)}%)\n`);
  out.push(`evaluated at ${months.length} month-ends (${months[0] ?? '-'} to ${months.at(-1) ?? '-'}), outcomes known by ${r.knownBy}; late = more than ${r.lateDays} days after due\n`);
  out.push(`${r.nOpen} open invoice-month-ends; ${r.nAlreadyLate} already past the late line (decided, left out); ${r.nEvaluated} evaluated (outcome still open and known by the data's date)\n\n`);
  out.push('per month-end\n');
  out.push(
    toTextTable(
      ['month_end', 'n', 'late_rate', 'AUC model', 'AUC share', 'AUC days', 'Brier model', 'Brier share', 'lift top 10%'],
      r.byMonthEnd.map((m) => {
        const [model, share, days] = m.scorers.map((s) => s.evaluation);
        return [m.as_of, model.n, f3(model.late_rate), f3(model.auc), f3(share.auc), f3(days.auc), f3(model.brier), f3(share.brier), f3(m.lift[0]?.lift ?? NaN)];
      }),
    ),
  );
  out.push('\npooled over the month-ends\n');
  out.push(
    toTextTable(
      ['scorer', 'n', 'late_rate', 'AUC', 'prec@10%', 'recall@10%', 'lift@10%', 'prec@20%', 'recall@20%', 'Brier'],
      r.pooled.scorers.map(({ name, evaluation: e }) => [name, e.n, f3(e.late_rate), f3(e.auc), f3(e.precision_top10), f3(e.recall_top10), f3(e.precision_top10 / e.late_rate), f3(e.precision_top20), f3(e.recall_top20), f3(e.brier)]),
    ),
  );
  out.push('\ncalibration (model probability bins, pooled)\n');
  out.push(toTextTable(['bin', 'n', 'mean_predicted', 'observed_late'], r.pooled.calibration.map((c) => [c.bin, c.n, f3(c.mean_predicted), f3(c.observed_late)])));
  out.push('\nlift by decile (1 = riskiest 10%, pooled)\n');
  out.push(toTextTable(['decile', 'n', 'late_rate', 'lift'], r.pooled.lift.map((l) => [l.decile, l.n, f3(l.late_rate), f3(l.lift)])));
  const [model, share, days] = r.pooled.scorers.map((s) => s.evaluation.auc);
  out.push(`\nmodel AUC ${f3(model)} vs baselines ${f3(share)} (prior late share) and ${f3(days)} (avg days late): ${model > share && model > days ? 'the model beats both' : 'the model does NOT beat both baselines'}\n`);
  out.push(`\ncall list replayed at each month-end: share of the next ${DECISION_HORIZON_DAYS} days' newly late amount, and of the amount collected later, in the first ${TOP_CALL_SHARE * 100}% of calls\n`);
  out.push('(model order = expected late amount, outstanding x probability; no capacity, promise or dispute terms)\n');
  out.push(coverageTable([...r.calls.byMonthEnd, ...r.calls.pooled]));
  return out.join('');
}
