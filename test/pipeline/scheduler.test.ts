import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/web/server.ts';
import { checkCron } from '../../src/pipeline/index.ts';
import { demoWarehouse } from '../support/demo-warehouse.ts';

let server: RunningServer | undefined;
afterAll(async () => {
  await server?.close();
});

type Health = { build_id: string; as_of: string; recent_refreshes: { trigger: string; status: string; build_id: string | null; files_loaded: number; rows_loaded: string }[] };

describe('unattended refresh', () => {
  it('publishes exports dropped into the inbox once they stop changing, and /api/health shows the run', async () => {
    const db = await demoWarehouse();
    const inbox = join(dirname(db), 'inbox');
    mkdirSync(inbox);
    process.env.CARTERA_INBOX_POLL_MS = '200';
    server = await startServer({ dbPath: db, port: 0, hostname: '127.0.0.1', exportDir: inbox, log: false, schedule: { watchInbox: true } });
    delete process.env.CARTERA_INBOX_POLL_MS;
    const health = async () => (await (await fetch(`${server!.url}/api/health`)).json()) as Health;
    const before = await health();
    writeFileSync(join(inbox, 'facturas-nuevas.csv'), 'invoice_id,customer_id,invoice_date,due_date,amount,currency\nN-1,C00001,2026-10-30,2026-11-29,1234.56,MXN\n');
    const deadline = Date.now() + 60_000;
    let h = before;
    while (Date.now() < deadline && h.build_id === before.build_id) {
      await new Promise((r) => setTimeout(r, 250));
      h = await health();
    }
    expect(Number(h.build_id)).toBeGreaterThan(Number(before.build_id));
    expect(h.recent_refreshes[0]).toMatchObject({ trigger: 'inbox', status: 'published', build_id: h.build_id, files_loaded: 1, rows_loaded: '1' });
    // The same files again change nothing: no second publication.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await health()).build_id).toBe(h.build_id);
    rmSync(inbox, { recursive: true, force: true });
  }, 120_000);

  it('takes cron syntax and refuses what is not', () => {
    expect(() => checkCron('0 6 * * *')).not.toThrow();
    expect(() => checkCron('every morning')).toThrow();
  });
});
