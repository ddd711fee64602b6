import { dbOption, UserError, type Command } from '../cli/command.ts';
import { stdout } from '../cli/output.ts';
import { resolveDbPath, withWarehouse } from '../db/warehouse.ts';
import { toTextTable } from '../db/writers.ts';
import { RefreshError, runRefresh } from '../pipeline/index.ts';
import { DEFAULT_CAPACITY } from '../risk/call-list.ts';
import { BAND_CUTOFFS } from '../risk/bands.ts';
import { intFlag, lateDaysFlag } from './publication-flags.ts';

export const scoreCommand: Command = {
  name: 'score',
  options: {
    ...dbOption,
    ...lateDaysFlag,
    retrain: { type: 'boolean', description: 'train a new model even if a compatible one is stored' },
    capacity: { type: 'string', default: String(DEFAULT_CAPACITY), description: 'calls per collector per day for the call list', placeholder: 'N' },
  },
  details: `Scores the published build as of its date and publishes risk_scores and call_list beside it in
one switch (risk_models gains the model when one is trained). The late-days rule is kept by later
refreshes and builds until changed.
Bands by probability of paying late: ${BAND_CUTOFFS.map(([b, c]) => `${b} < ${c}`).join(' <= ')} <= E.`,
  async run(opts) {
    const lateDays = opts['late-days'] === undefined ? undefined : intFlag(opts['late-days'], 'late-days', 30);
    const capacity = intFlag(opts.capacity, 'capacity', DEFAULT_CAPACITY, 1);
    await withWarehouse(resolveDbPath(opts.db as string | undefined), async (wh) => {
      const r = await runRefresh(wh, { build: false, changes: lateDays === undefined ? undefined : { lateDays }, retrain: Boolean(opts.retrain), capacity, trigger: 'cli' }).catch(
        (e: Error) => {
          // Nothing loaded or built yet: say what to run first.
          if (e instanceof RefreshError) throw e;
          throw new UserError(`score failed, previous publication kept: ${e.message}`);
        },
      );
      const s = r.score!;
      const m = s.model;
      const out = [
        `as of ${s.asOf}: scored ${s.scored} open invoices with ${s.modelVersion} (${s.trained ? `trained now in ${s.seconds.train.toFixed(1)} s` : 'stored model'}), scoring took ${s.seconds.score.toFixed(1)} s`,
        `model: late = more than ${m.late_days} days after due; trained on ${m.n_train} invoices issued from ${m.train_from} with outcomes known by ${m.train_until} (late share ${(m.train_late_rate * 100).toFixed(1)}%)`,
      ];
      if (s.trained && m.feature_store) {
        const from = m.feature_store.attributes_from;
        const counts = from === undefined ? '' : `; attribute encodings: ${from === '0001-01-01' ? 'every day counted' : `outcomes counted from ${from}, earlier days read from the attribute store`}`;
        out.push(`examples' features: ${m.feature_store.kept} read from the feature store (unchanged since the last training), ${m.feature_store.computed} computed${counts}`);
      }
      if (m.metrics) {
        out.push(`holdout (newest 20% of the sample): AUC ${m.metrics.auc.toFixed(3)}, Brier ${m.metrics.brier.toFixed(3)}, precision@10% ${m.metrics.precision_top10.toFixed(3)}`);
      }
      stdout.write(out.join('\n') + '\n\n');
      stdout.write(toTextTable(['band', 'invoices'], Object.entries(s.bands)));
      stdout.write(`\ncall list: ${s.callListRows} customers (capacity ${capacity} calls per collector per day)\npublished ${r.buildId}\n`);
    });
  },
};
