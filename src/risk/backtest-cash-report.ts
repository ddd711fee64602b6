import { toTextTable } from '../db/writers.ts';
import type { CashBacktestResult } from './backtest-cash.ts';

const pct = (v: number | null) => (v !== null && Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '-');

/**
 * The text `cartera backtest --at cash` prints: per week after the month-end, actual collections
 * and each forecast's MAE, WAPE and bias over the month-ends, then the same over all weeks.
 */
export function cashReport(r: CashBacktestResult): string {
  const byWeek = (forecast: string, week: number | null) => r.errors.find((e) => e.forecast === forecast && e.week_number === week);
  const weeks = [...new Set(r.errors.map((e) => e.week_number))];
  const out: string[] = [];
  out.push(`cash forecast backtest: model trained on ${r.model.n_train} invoices with outcomes known before ${r.trainUntil}; late = more than ${r.lateDays} days after due\n`);
  out.push(`forecast at ${r.monthEnds.length} month-ends (${r.monthEnds[0] ?? '-'} to ${r.monthEnds.at(-1) ?? '-'}), the next 13 weeks of each seen by ${r.knownBy}; ${r.nOpen} open invoice-month-ends, ${r.nCompared} of them open in the aging too (both forecasts and the actuals cover these)\n`);
  out.push('money in reporting currency; per week: mean over the month-ends (MAE, bias = forecast - actual), WAPE = sum |error| / sum actual\n\n');
  out.push(
    toTextTable(
      ['week', 'actual', 'model', 'MAE model', 'WAPE model', 'bias model', 'history', 'MAE history', 'WAPE history', 'bias history'],
      weeks.map((w) => {
        const m = byWeek('model', w)!;
        const h = byWeek('history', w)!;
        return [w ?? 'all', m.actual_amount, m.forecast_amount, m.mae, pct(m.wape), m.bias, h.forecast_amount, h.mae, pct(h.wape), h.bias];
      }),
    ),
  );
  const m = byWeek('model', null);
  const h = byWeek('history', null);
  if (m && h && m.wape !== null && h.wape !== null) {
    out.push(`\nover all weeks: WAPE ${pct(m.wape)} with the model's payment timing against ${pct(h.wape)} history-only: ${m.wape < h.wape ? 'the model is closer' : 'the model is NOT closer'}\n`);
  }
  return out.join('');
}
