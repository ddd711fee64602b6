/**
 * Start-up of the CLI: `cartera --help` and `cartera query "select 1"` (target: at most 0.3 s), timed
 * beside `node -e 0` (what any Node program pays) in the same run, each a fresh process, the
 * commands interleaved so a busy moment of the machine touches all of them alike. Also the package
 * bin (which checks that dist/ is fresh), `npm run cartera` (npm's own start-up) and the sources
 * through tsx (how every command started before the package was compiled).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '../../src/db/warehouse.ts';
import { compiledCli } from './compiled.ts';

const ROOT = join(import.meta.dirname, '../..');

/** Wall time of one run of a command, in ms; throws if it fails. */
function once(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchStartup(opts: { runs?: number; log: (line: string) => void }): Promise<void> {
  const { log } = opts;
  const runs = opts.runs ?? 15;
  compiledCli(log);
  const dir = mkdtempSync(join(tmpdir(), 'cartera-startup-'));
  try {
    const empty = join(dir, 'empty.duckdb');
    (await Warehouse.open(empty)).close();
    const node = process.execPath;
    const cases: { name: string; cmd: string; args: string[]; runs: number }[] = [
      { name: 'node -e 0', cmd: node, args: ['-e', '0'], runs },
      { name: 'cartera --help (node dist/cli.js)', cmd: node, args: ['dist/cli.js', '--help'], runs },
      { name: 'cartera query "select 1" (empty warehouse)', cmd: node, args: ['dist/cli.js', 'query', '--db', empty, 'select 1'], runs },
    ];
    const demo = join(ROOT, 'data/warehouse.duckdb');
    if (existsSync(demo) && !existsSync(`${demo}.serve.json`)) {
      cases.push({ name: 'cartera query "select 1" (the demo warehouse)', cmd: node, args: ['dist/cli.js', 'query', '--db', demo, 'select 1'], runs });
    }
    cases.push(
      { name: 'the package bin: cartera --help (src/bin/cartera.mjs)', cmd: node, args: ['src/bin/cartera.mjs', '--help'], runs },
      { name: 'npm run -s cartera -- --help', cmd: 'npm', args: ['run', '-s', 'cartera', '--', '--help'], runs: Math.min(runs, 5) },
      { name: 'the sources through tsx: --help (npm run dev)', cmd: node, args: ['--import', 'tsx', 'src/cli.ts', '--help'], runs: Math.min(runs, 5) },
    );
    const times = new Map(cases.map((c) => [c.name, [] as number[]]));
    // One warm-up each (file cache), then interleaved rounds.
    for (const c of cases) once(c.cmd, c.args);
    for (let i = 0; i < runs; i++) for (const c of cases) if (i < c.runs) times.get(c.name)!.push(once(c.cmd, c.args));
    log(`${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}; wall time of a fresh process, ms`);
    log(`${'command'.padEnd(58)}${'median'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}  runs`);
    const base = median(times.get('node -e 0')!);
    for (const c of cases) {
      const xs = times.get(c.name)!;
      const extra = c.name === 'node -e 0' ? '' : `  (+${(median(xs) - base).toFixed(0)} over node)`;
      log(`${c.name.padEnd(58)}${median(xs).toFixed(0).padStart(8)}${Math.min(...xs).toFixed(0).padStart(8)}${Math.max(...xs).toFixed(0).padStart(8)}  ${xs.length}${extra}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
