import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { dbOption, UserError, type Command } from '../cli/command.ts';
import { resolveDbPath, withWarehouse, type Warehouse } from '../db/warehouse.ts';
import { generateExports, GENERATE_DEFAULTS } from '../generate/generate.ts';
import { discoverModels } from '../models/index.ts';
import { runRefresh, type RefreshStep } from '../pipeline/index.ts';
import { backtest } from '../risk/index.ts';
import { refreshSummary } from './refresh.ts';
import { startServer } from '../web/server.ts';
import { credentialsPath, demoLogins } from './demo-logins.ts';
import { serveUntilSignal } from './serve.ts';
import { StepLog } from './step-log.ts';

const n = (x: number) => x.toLocaleString('en-US');

/** What each step of the pipeline does, said when it starts. */
const STARTING: Record<RefreshStep, (exportsDir: string) => string> = {
  ingest: (dir) => `reading the exports in ${dir} (only new ones are loaded)`,
  build: () => `building the ${discoverModels().length} SQL models`,
  score: () => 'scoring the open invoices for risk (training the model on the first start) and making the call list',
  publish: () => 'publishing models, scores and call list at once',
};

/**
 * Ingests the demo exports and, when something new was loaded, builds, scores and publishes (the
 * one pipeline), each step printed as it starts, with progress while it runs. Returns whether
 * the validation notebook's backtest has to be (re)made.
 */
async function pipeline(wh: Warehouse, exportsDir: string, dbPath: string, log: StepLog): Promise<boolean> {
  let files = 0;
  let models = 0;
  const total = discoverModels().length;
  const r = await runRefresh(wh, {
    inbox: [exportsDir],
    onlyIfNew: true,
    trigger: 'demo',
    dbPath,
    onStep: (e) => (e.phase === 'start' ? log.start(e.step, STARTING[e.step](exportsDir)) : log.done(e.step)),
    onIngest: (e) => {
      if (e.phase === 'done' || e.phase === 'skipped') log.progress(`${++files} files read (last: ${basename(e.file)})`);
    },
    onModel: (m) => log.progress(`${++models} of ${total} models built (last: ${m.name})`),
  });
  for (const line of refreshSummary(r).trimEnd().split('\n')) log.line(`  ${line}`);
  // Also when a stopped demo left none (or an empty one) behind.
  return r.published || !(await wh.tableExists('risk_backtest')) || !(await wh.scalar<boolean>('select exists (select 1 from risk_backtest)'));
}

/**
 * A backtest of the last year, for the model-validation notebook: its figures, in one line. In the
 * background (`signal` given), the forest grows on a worker thread, so the server keeps answering.
 */
async function backtestLastYear(wh: Warehouse, signal?: AbortSignal): Promise<string> {
  const trainUntil = await wh.scalar<string>(`select (date_trunc('month', as_of) - interval 12 month)::date::varchar from build_options`);
  const bt = await backtest(wh, { trainUntil: trainUntil!, maxTest: 20_000, signal, offThread: signal !== undefined });
  const auc = (i: number) => (Number.isFinite(bt.scorers[i]?.evaluation.auc) ? bt.scorers[i].evaluation.auc.toFixed(3) : '-');
  return `trained until ${trainUntil}, ${n(bt.nTest)} later invoices, AUC ${auc(0)} vs baselines ${auc(1)} and ${auc(2)}`;
}

const BACKTEST = 'backtest';
const BACKTEST_WHAT = 'out-of-time test of the risk model for the validation notebook';

export const demoCommand: Command = {
  name: 'demo',
  options: {
    ...dbOption,
    exports: { type: 'string', default: 'data/demo', description: 'folder of demo exports (generated when absent)', placeholder: 'DIR' },
    port: { type: 'string', description: 'port to serve on (default: $PORT or 8080)', placeholder: 'N' },
    'no-serve': { type: 'boolean', description: 'stop after ingest, build, score and the backtest' },
  },
  details: `This is what npm start runs. Each step is printed as it starts and when it ends, with progress
while it runs, on a terminal and in a log alike. It serves as soon as the open invoices are scored; the
backtest the model-validation notebook shows runs afterwards, in the background.
A second run reuses the warehouse unless the exports changed, and the demo users and their
passwords (<db>.demo-credentials.txt), so whoever signed in stays signed in.`,
  async run(opts) {
    const started = performance.now();
    const exportsDir = resolve(String(opts.exports));
    const dbPath = resolveDbPath(opts.db as string | undefined);
    const port = Number(opts.port ?? process.env.PORT ?? 8080);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`demo: --port must be 0-65535`, 2);
    const log = new StepLog();
    log.line(`Cartera demo: warehouse ${dbPath}, exports ${exportsDir}`);
    if (!existsSync(exportsDir)) {
      const { customers, invoices } = GENERATE_DEFAULTS;
      await log.time('generate', `writing demo exports of ${n(customers)} customers and ${n(invoices)} invoices to ${exportsDir}`, () =>
        generateExports({ ...GENERATE_DEFAULTS, out: exportsDir, dialect: 'all' }),
      );
    }
    const { logins, needsBacktest } = await withWarehouse(
      dbPath,
      async (wh) => {
        const needsBacktest = await pipeline(wh, exportsDir, dbPath, log);
        const collector = await wh.scalar<string>(`select collector from call_list where collector is not null group by 1 order by count(*) desc limit 1`);
        // With nothing to serve, the backtest runs now, so the warehouse is complete when the command ends.
        if (needsBacktest && opts['no-serve']) await log.time(BACKTEST, BACKTEST_WHAT, () => backtestLastYear(wh), (line) => line);
        return { logins: await demoLogins(wh, dbPath, collector ?? null), needsBacktest };
      },
      { create: true },
    );
    log.line(`demo pipeline ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (opts['no-serve']) return;
    const s = await startServer({ dbPath, port, exportDir: exportsDir, log: false });
    const base = s.url;
    log.line(`\nCartera is serving ${dbPath} at ${base}`);
    log.line(`  Sign in at ${base}/login as one of these demo users (the same on every start; kept in ${credentialsPath(dbPath)}, readable by you only):`);
    for (const l of logins) log.line(`    ${l.role.padEnd(12)} ${l.user.padEnd(20)} ${l.password}${l.collector ? `   (collector ${l.collector})` : ''}`);
    log.line(`  Scripts use API keys: npm run -s cartera -- token create --role ROLE --name NAME`);
    log.line(`  API reference: ${base}/docs    Stop: Ctrl+C\n`);
    // Stopped meanwhile, the backtest ends first (at its next step; a query running is interrupted): the next start runs it again.
    let stopBackground = async () => {};
    if (needsBacktest) {
      // On a connection of its own, beside the server's writer: a refresh, a recorded contact or a
      // CLI command sent to the server does not wait for it. The validation notebook shows its figures when it ends.
      log.line(`${BACKTEST}: ${BACKTEST_WHAT} runs in the background; the server answers meanwhile`);
      const t0 = performance.now();
      const own = await s.api.wh.connect();
      const stopping = new AbortController();
      const done = backtestLastYear(own, stopping.signal)
        .finally(() => own.close())
        .then(
          (line) => log.line(`${BACKTEST}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${line}`),
          (err: Error) => {
            if (!stopping.signal.aborted) log.line(`${BACKTEST}: failed, so the validation notebook has no figures until \`cartera backtest\` runs: ${err.message.split('\n')[0]}`);
          },
        );
      stopBackground = async () => {
        stopping.abort();
        own.conn.interrupt();
        await done;
      };
    }
    await serveUntilSignal(s, dbPath, undefined, () => stopBackground());
  },
};
