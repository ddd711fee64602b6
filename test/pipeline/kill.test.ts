import { spawn } from 'node:child_process';
import { copyFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';
import { demoWarehouse } from '../support/demo-warehouse.ts';

const ROOT = join(import.meta.dirname, '../..');

/** What the file serves: the publication's id and as-of, and that its marts, scores and call list agree. */
async function served(db: string) {
  const wh = await Warehouse.open(db, { readOnly: true });
  try {
    const row = await wh.one<Record<'build_id' | 'as_of' | 'options_as_of' | 'scores_as_of' | 'calls_as_of' | 'calls' | 'outstanding', string>>(
      `select (select max(build_id)::varchar from builds) as build_id,
              (select as_of::varchar from builds order by build_id desc limit 1) as as_of,
              (select as_of::varchar from build_options) as options_as_of,
              (select max(as_of)::varchar from risk_scores) as scores_as_of,
              (select max(as_of)::varchar from call_list) as calls_as_of,
              (select count(*)::varchar from call_list) as calls,
              (select sum(outstanding)::varchar from fct_invoices) as outstanding`,
    );
    const schemas = (await wh.all<{ s: string }>(`select schema_name as s from duckdb_schemas() where schema_name like 'cartera_%' order by 1`)).map((r) => r.s);
    const published = (await wh.all<{ s: string }>(`select schema_name as s from published_build order by 1`)).map((r) => r.s);
    const size = await wh.one<{ used: string; block: string }>(`select used_blocks::varchar as used, block_size::varchar as block from pragma_database_size()`);
    return { ...row!, schemas, published, usedBytes: Number(size!.used) * Number(size!.block) };
  } finally {
    wh.close();
  }
}

/** Runs `cartera refresh`, killing it with SIGKILL as soon as it announces `killAt` (after `delayMs`). */
function refresh(db: string, inbox: string, killAt?: string, delayMs = 0, extra: string[] = []) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; reached: boolean }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'refresh', '--db', db, '--inbox', inbox, ...extra], { cwd: ROOT });
    let reached = false;
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAt && !reached && out.split('\n').includes(`${killAt}...`)) {
        reached = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('exit', (code, signal) => resolve({ code, signal, reached }));
  });
}

let n = 0;
/** A new export in the inbox (new bytes, so the refresh has something to ingest). */
function newExport(inbox: string): string {
  n += 1;
  const file = join(inbox, `facturas-${n}.csv`);
  writeFileSync(file, `invoice_id,customer_id,invoice_date,due_date,amount,currency\nK-${n},C00001,2026-10-0${n},2026-11-0${n},${n}00.00,MXN\n`);
  return file;
}

describe('a refresh killed at any step', () => {
  it('leaves the previous publication serving, whole; the next refresh leaves nothing behind', async () => {
    const db = await demoWarehouse();
    const inbox = join(dirname(db), 'inbox');
    mkdirSync(inbox);
    const first = await served(db);
    const untouched = join(dirname(db), 'untouched.duckdb');
    copyFileSync(db, untouched);
    expect(first.scores_as_of).toBe(first.as_of);

    // Mid-build (some models committed in the unpublished schema) and mid-training (--retrain takes seconds).
    const kills: [string, number, string[]][] = [['ingest', 0, []], ['build', 0, []], ['build', 700, []], ['score', 0, []], ['score', 1000, ['--retrain']]];
    for (const [step, delay, extra] of kills) {
      const r = await refresh(db, newExport(inbox), step, delay, extra);
      expect(r.reached, step).toBe(true);
      expect(r.signal, step).toBe('SIGKILL');
      const now = await served(db);
      expect({ ...now, schemas: undefined, usedBytes: undefined }, `${step} +${delay} ms`).toEqual({ ...first, schemas: undefined, usedBytes: undefined });
    }
    // A kill as publishing starts leaves either publication, each whole.
    const atPublish = await refresh(db, newExport(inbox), 'publish');
    expect(atPublish.reached).toBe(true);
    const p = await served(db);
    expect([p.options_as_of, p.scores_as_of, p.calls_as_of]).toEqual([p.as_of, p.as_of, p.as_of]);

    const ok = await refresh(db, inbox);
    expect(ok.code).toBe(0);
    const after = await served(db);
    expect(Number(after.build_id)).toBeGreaterThan(Number(first.build_id));
    expect([after.options_as_of, after.scores_as_of, after.calls_as_of]).toEqual([after.as_of, after.as_of, after.as_of]);
    // Nothing behind: only the published schema is left, and the file holds no more than the same exports refreshed
    // without kills (within 1 MiB, since DuckDB places blocks differently run to run: 67-70 blocks of 256 KiB here).
    expect(after.schemas).toEqual(after.published);
    expect((await refresh(untouched, inbox)).code).toBe(0);
    const clean = await served(untouched);
    expect(after.usedBytes).toBeLessThanOrEqual(clean.usedBytes + 2 ** 20);
  }, 300_000);
});
