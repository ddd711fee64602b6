import { dbOption, UserError, type Command } from '../cli/command.ts';
import { resolveDbPath, withWarehouse } from '../db/warehouse.ts';
import { toTextTable } from '../db/writers.ts';
import { DEFAULT_CAPACITY } from '../risk/call-list.ts';
import { scoreWarehouse } from '../risk/score.ts';
import { BAND_CUTOFFS } from '../risk/bands.ts';

/** Parses a non-negative integer flag. */
export function intFlag(v: unknown, name: string, fallback: number, min = 0): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UserError(`--${name} must be an integer >= ${min}`, 2);
  return n;
}

export const scoreCommand: Command = {
  name: 'score',
  summary: 'Score open invoices for delinquency risk (training a model when needed) and rebuild the call list.',
  options: {
    ...dbOption,
    'late-days': { type: 'string', default: '30', description: 'late = not settled within N days of the due date (0 = any lateness)', placeholder: 'N' },
    retrain: { type: 'boolean', description: 'train a new model even if a compatible one is stored' },
    capacity: { type: 'string', default: String(DEFAULT_CAPACITY), description: 'calls per collector per day for the call list', placeholder: 'N' },
  },
  details: `Writes risk_models (when training), risk_scores (for the data's as-of date) and call_list.
Bands by probability of paying late: ${BAND_CUTOFFS.map(([b, c]) => `${b} < ${c}`).join(' <= ')} <= E.`,
  async run(opts) {
    const lateDays = intFlag(opts['late-days'], 'late-days', 30);
    const capacity = intFlag(opts.capacity, 'capacity', DEFAULT_CAPACITY, 1);
    await withWarehouse(resolveDbPath(opts.db as string | undefined), async (wh) => {
      const s = await scoreWarehouse(wh, { lateDays, retrain: Boolean(opts.retrain), capacity }).catch((e: Error) => {
        throw new UserError(e.message);
      });
      const m = s.model;
      const out = [
        `as of ${s.asOf}: scored ${s.scored} open invoices with ${s.modelVersion} (${s.trained ? `trained now in ${s.seconds.train.toFixed(1)} s` : 'stored model'}), scoring took ${s.seconds.score.toFixed(1)} s`,
        `model: late = more than ${m.late_days} days after due; trained on ${m.n_train} invoices issued from ${m.train_from} with outcomes known by ${m.train_until} (late share ${(m.train_late_rate * 100).toFixed(1)}%)`,
      ];
      if (m.metrics) {
        out.push(`holdout (newest 20% of the sample): AUC ${m.metrics.auc.toFixed(3)}, Brier ${m.metrics.brier.toFixed(3)}, precision@10% ${m.metrics.precision_top10.toFixed(3)}`);
      }
      process.stdout.write(out.join('\n') + '\n\n');
      process.stdout.write(toTextTable(['band', 'invoices'], Object.entries(s.bands)));
      process.stdout.write(`\ncall list: ${s.callListRows} customers (capacity ${capacity} calls per collector per day)\n`);
    });
  },
};
