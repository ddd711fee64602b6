import { dbOption, UserError, type Command } from '../cli/command.ts';
import { resolveDbPath, withWarehouse } from '../db/warehouse.ts';
import { scoreWarehouse } from '../risk/index.ts';
import { BASES, BuildOptionError, parseBuckets, runBuild, validateOptions, type Basis, type BuildOptionsInput } from '../models/index.ts';

/** Turns CLI flags into build options, or a one-line usage error. */
function optionsFromFlags(opts: Record<string, unknown>): BuildOptionsInput {
  try {
    return validateOptions({
      asOf: opts['as-of'] as string | undefined,
      buckets: opts.buckets === undefined ? undefined : parseBuckets(String(opts.buckets)),
      basis: opts.basis as Basis | undefined,
      currency: (opts.currency as string | undefined)?.toUpperCase(),
    });
  } catch (err) {
    if (err instanceof BuildOptionError) throw new UserError(`build: ${err.message}`, 2);
    throw err;
  }
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'Build the SQL models (staging, intermediate, marts) in one transaction.',
  options: {
    ...dbOption,
    'as-of': { type: 'string', description: 'date the numbers are as of (default: latest date in the data)', placeholder: 'DATE' },
    buckets: { type: 'string', description: 'aging bucket upper bounds in days (default: 30,60,90,120)', placeholder: 'N,N,...' },
    basis: { type: 'string', description: `age from: ${BASES.join('|')} date (default: due)`, placeholder: 'B' },
    currency: { type: 'string', description: 'reporting currency (default: most common invoice currency)', placeholder: 'CUR' },
    'no-score': { type: 'boolean', description: 'do not re-score open invoices with the stored risk model' },
  },
  details: `Readers see the previous build until this one commits; a failing model leaves it untouched.
When a risk model is stored (cartera score), the open invoices are re-scored with it after the build.`,
  async run(opts) {
    const input = optionsFromFlags(opts);
    await withWarehouse(resolveDbPath(opts.db as string | undefined), async (wh) => {
      const result = await runBuild(wh, {
        ...input,
        onModel: (m) => {
          const rows = m.rows === null ? m.materialized : `${m.rows.toLocaleString('en-US')} rows`;
          process.stdout.write(`${m.name.padEnd(36)}${m.seconds.toFixed(3).padStart(8)} s  ${rows}\n`);
        },
      }).catch((err: Error) => {
        throw new UserError(`build failed, previous build kept: ${err.message}`);
      });
      const o = result.options;
      process.stdout.write(
        `build ${result.buildId}: as of ${o.asOf}, ${o.reportingCurrency}, basis ${o.basis}, buckets ${o.buckets.join(',')}` +
          ` - ${result.models.length} models in ${result.seconds.toFixed(2)} s\n`,
      );
      // Scores follow the build: re-score with the newest stored model (never train here: that is cartera score's call).
      const lateDays = opts['no-score'] || !(await wh.tableExists('risk_models'))
        ? undefined
        : await wh.scalar<number>(`select late_days from risk_models order by trained_at desc limit 1`);
      if (lateDays !== undefined && lateDays !== null) {
        const t0 = performance.now();
        const s = await scoreWarehouse(wh, { lateDays: Number(lateDays), asOf: o.asOf });
        process.stdout.write(`re-scored ${s.scored.toLocaleString('en-US')} open invoices with model ${s.modelVersion} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
      }
    });
  },
};
