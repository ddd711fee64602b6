import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { dbOption, UserError, type Command } from '../cli/command.ts';
import { stdout } from '../cli/output.ts';
import { resolveDbPath, withWarehouse, type Warehouse } from '../db/warehouse.ts';
import { generateExports, GENERATE_DEFAULTS } from '../generate/generate.ts';
import { runRefresh } from '../pipeline/index.ts';
import { backtest } from '../risk/index.ts';
import { printStep } from './publication-flags.ts';
import { refreshSummary } from './refresh.ts';
import { startServer } from '../web/server.ts';
import { credentialsPath, demoLogins } from './demo-logins.ts';
import { serveUntilSignal } from './serve.ts';

const step = (msg: string) => stdout.write(`${msg}\n`);
const since = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

/** Ingests the demo exports and, when something new was loaded, builds, scores and publishes (the one pipeline). */
async function pipeline(wh: Warehouse, exportsDir: string, dbPath: string): Promise<void> {
  const r = await runRefresh(wh, { inbox: [exportsDir], onlyIfNew: true, trigger: 'demo', dbPath, onStep: printStep });
  stdout.write(refreshSummary(r));
  if (!r.published) return;
  // A backtest of the last year, so the model-validation notebook and dashboards have figures to show.
  const t = performance.now();
  const trainUntil = await wh.scalar<string>(`select (date_trunc('month', as_of) - interval 12 month)::date::varchar from build_options`);
  const bt = await backtest(wh, { trainUntil: trainUntil!, maxTest: 20_000 });
  const auc = (i: number) => (Number.isFinite(bt.scorers[i]?.evaluation.auc) ? bt.scorers[i].evaluation.auc.toFixed(3) : '-');
  step(`backtest: trained until ${trainUntil}, ${bt.nTest.toLocaleString()} later invoices, AUC ${auc(0)} vs baselines ${auc(1)} and ${auc(2)} (${since(t)})`);
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the demo end to end: generate exports if absent, ingest, build, score, then serve the dashboards.',
  options: {
    ...dbOption,
    exports: { type: 'string', default: 'data/demo', description: 'folder of demo exports (generated when absent)', placeholder: 'DIR' },
    port: { type: 'string', description: 'port to serve on (default: $PORT or 8080)', placeholder: 'N' },
    'no-serve': { type: 'boolean', description: 'stop after ingest, build and score' },
  },
  details: `This is what npm start runs. A second run reuses the warehouse unless the exports changed, and the demo
users and their passwords (<db>.demo-credentials.txt), so whoever signed in stays signed in.`,
  async run(opts) {
    const started = performance.now();
    const exportsDir = resolve(String(opts.exports));
    const dbPath = resolveDbPath(opts.db as string | undefined);
    const port = Number(opts.port ?? process.env.PORT ?? 8080);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`demo: --port must be 0-65535`, 2);
    if (!existsSync(exportsDir)) {
      const t = performance.now();
      await generateExports({ ...GENERATE_DEFAULTS, out: exportsDir, dialect: 'all' });
      step(`generate: demo exports of ${GENERATE_DEFAULTS.customers.toLocaleString()} customers and ${GENERATE_DEFAULTS.invoices.toLocaleString()} invoices in ${exportsDir} (${since(t)})`);
    }
    const logins = await withWarehouse(dbPath, async (wh) => {
      await pipeline(wh, exportsDir, dbPath);
      const collector = await wh.scalar<string>(`select collector from call_list where collector is not null group by 1 order by count(*) desc limit 1`);
      return demoLogins(wh, dbPath, collector ?? null);
    });
    step(`demo pipeline ready in ${since(started)}`);
    if (opts['no-serve']) return;
    const s = await startServer({ dbPath, port, exportDir: exportsDir, log: false });
    const base = s.url;
    step(`\nCartera is serving ${dbPath} at ${base}`);
    step(`  Sign in at ${base}/login as one of these demo users (the same on every start; kept in ${credentialsPath(dbPath)}, readable by you only):`);
    for (const l of logins) step(`    ${l.role.padEnd(12)} ${l.user.padEnd(20)} ${l.password}${l.collector ? `   (collector ${l.collector})` : ''}`);
    step(`  Scripts use API keys: npm run -s cartera -- token create --role ROLE --name NAME`);
    step(`  API reference: ${base}/docs    Stop: Ctrl+C`);
    await serveUntilSignal(s, dbPath);
  },
};
