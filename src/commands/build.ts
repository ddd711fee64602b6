import { dbOption, UserError, type Command } from '../cli/command.ts';
import { stdout } from '../cli/output.ts';
import { resolveDbPath, withWarehouse } from '../db/warehouse.ts';
import { RefreshError, runRefresh } from '../pipeline/index.ts';
import { changesFromFlags, printStep, publicationFlags } from './publication-flags.ts';
import { scoreLine } from './refresh.ts';

export const buildCommand: Command = {
  name: 'build',
  options: {
    ...dbOption,
    ...publicationFlags,
    'no-score': { type: 'boolean', description: 'publish the models without scores and call list' },
  },
  details: `Readers see the previous publication until this one is published; a failing model leaves it untouched.
When a risk model is stored (cartera score), the open invoices are re-scored with it and published
with the models; a build never trains one. Options given once are kept by later builds until changed.`,
  async run(opts) {
    const changes = changesFromFlags('build', opts);
    await withWarehouse(resolveDbPath(opts.db as string | undefined), async (wh) => {
      const r = await runRefresh(wh, {
        changes,
        score: opts['no-score'] ? 'none' : 'stored',
        trigger: 'cli',
        onStep: (e) => e.step !== 'build' && e.phase === 'done' && printStep(e),
        onModel: (m) => {
          const rows = m.rows === null ? m.materialized : `${m.rows.toLocaleString('en-US')} rows`;
          stdout.write(`${m.name.padEnd(36)}${m.seconds.toFixed(3).padStart(8)} s  ${rows}\n`);
        },
      }).catch((err: Error) => {
        // Nothing loaded yet: say what to run, not that a build failed.
        if (err instanceof RefreshError) throw err;
        throw new UserError(`build failed, previous build kept: ${err.message}`);
      });
      const o = r.build!.options;
      stdout.write(
        `build ${r.buildId}: as of ${o.asOf}, ${o.reportingCurrency}, basis ${o.basis}, buckets ${o.buckets.join(',')}` +
          ` - ${r.build!.models.length} models in ${r.build!.seconds.toFixed(2)} s\n`,
      );
      if (r.score) stdout.write(`${scoreLine(r.score)}\n`);
    });
  },
};
