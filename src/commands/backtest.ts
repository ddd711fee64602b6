import { dbOption, UserError, type Command } from '../cli/command.ts';
import { stdout } from '../cli/output.ts';
import { resolveDbPath, withWarehouse, type Warehouse } from '../db/warehouse.ts';
import { toTextTable } from '../db/writers.ts';
import { requirePublication } from '../pipeline/index.ts';
import { backtest } from '../risk/backtest.ts';
import { backtestDecision } from '../risk/backtest-decision.ts';
import { decisionReport } from '../risk/backtest-decision-report.ts';
import { backtestCash } from '../risk/backtest-cash.ts';
import { cashReport } from '../risk/backtest-cash-report.ts';
import { intFlag } from './publication-flags.ts';

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '-');

export const backtestCommand: Command = {
  name: 'backtest',
  options: {
    ...dbOption,
    'train-until': { type: 'string', description: 'train on outcomes known before this date; test on invoices issued from it (YYYY-MM-DD)', placeholder: 'DATE' },
    'late-days': { type: 'string', default: '30', description: 'late = not settled within N days of the due date', placeholder: 'N' },
    at: { type: 'string', default: 'issue', description: 'issue = each invoice at its issue date; decision = the invoices open at every month-end from --train-until; cash = the cash forecast at those month-ends', placeholder: 'WHEN' },
  },
  details:
    'Writes risk_backtest (one row per test invoice: probability, actual outcome, baseline scores).\n' +
    'With --at decision, writes risk_backtest_decision instead (one row per invoice open at a month-end) and replays the call list.\n' +
    'With --at cash, forecasts the next 13 weeks\' collections at each month-end with the model and history-only, against what came in:\n' +
    'writes risk_backtest_cash (per month-end and week) and risk_backtest_cash_errors (MAE, WAPE, bias per week).\n' +
    'Issue and decision keep their figures in risk_backtest_metrics (AUC, Brier, ... per scorer) and risk_backtest_reliability (the model\'s reliability table).',
  async run(opts) {
    const until = opts['train-until'];
    if (typeof until !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(until)) throw new UserError('backtest: give --train-until YYYY-MM-DD', 2);
    const lateDays = intFlag(opts['late-days'], 'late-days', 30);
    const at = opts.at ?? 'issue';
    if (at !== 'issue' && at !== 'decision' && at !== 'cash') throw new UserError(`backtest: --at must be issue, decision or cash (got '${String(at)}')`, 2);
    if (at !== 'issue') {
      const report = at === 'cash'
        ? (wh: Warehouse) => backtestCash(wh, { trainUntil: until, lateDays }).then(cashReport)
        : (wh: Warehouse) => backtestDecision(wh, { trainUntil: until, lateDays }).then(decisionReport);
      await withWarehouse(resolveDbPath(opts.db as string | undefined), async (wh) => {
        await requirePublication(wh);
        stdout.write(
          await report(wh).catch((e: Error) => {
            throw new UserError(e.message);
          }),
        );
      });
      return;
    }
    await withWarehouse(resolveDbPath(opts.db as string | undefined), async (wh) => {
      await requirePublication(wh);
      const r = await backtest(wh, { trainUntil: until, lateDays }).catch((e: Error) => {
        throw new UserError(e.message);
      });
      const w = (s: string) => stdout.write(s);
      w(`backtest: trained on ${r.model.n_train} invoices with outcomes known before ${r.trainUntil} (late share ${(r.model.train_late_rate * 100).toFixed(1)}%)\n`);
      w(`tested on ${r.nTest} invoices issued from ${r.trainUntil}, outcomes known by ${r.knownBy}; late = more than ${r.lateDays} days after due\n`);
      const attrs = r.model.attributes.map((a) => `${a.name}${a.dated ? '' : ' (undated)'}`);
      w(`the export's attributes it learned from: ${attrs.length ? attrs.join(', ') : 'none'}\n\n`);
      w(
        toTextTable(
          ['scorer', 'n', 'late_rate', 'AUC', 'prec@10%', 'recall@10%', 'lift@10%', 'prec@20%', 'recall@20%', 'Brier'],
          r.scorers.map(({ name, evaluation: e }) => [name, e.n, f3(e.late_rate), f3(e.auc), f3(e.precision_top10), f3(e.recall_top10), f3(e.precision_top10 / e.late_rate), f3(e.precision_top20), f3(e.recall_top20), f3(e.brier)]),
        ),
      );
      w('\ncalibration (model probability bins)\n');
      w(toTextTable(['bin', 'n', 'mean_predicted', 'observed_late'], r.calibration.map((c) => [c.bin, c.n, f3(c.mean_predicted), f3(c.observed_late)])));
      w('\nlift by decile (1 = riskiest 10%)\n');
      w(toTextTable(['decile', 'n', 'late_rate', 'lift'], r.lift.map((l) => [l.decile, l.n, f3(l.late_rate), f3(l.lift)])));
      const [model, share, days] = r.scorers.map((s) => s.evaluation.auc);
      w(`\nmodel AUC ${f3(model)} vs baselines ${f3(share)} (prior late share) and ${f3(days)} (avg days late): ${model > share && model > days ? 'the model beats both' : 'the model does NOT beat both baselines'}\n`);
    });
  },
};
