/**
 * A collector's writes on a large warehouse: POST /api/activities, then POST /api/promises (each validated,
 * recorded and published before it answers: the models that read records, scores and call list) beside the full refresh
 * every write ran before, on the same warehouse in the same run.
 * The warehouse has the demo's shape (`cartera generate`, canonical CSV, 100 invoices a customer),
 * ingested, built and scored by the pipeline.
 *
 * Run: `npm run bench -- record [invoices]` (default 1,000,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiContext } from '../../src/api/context.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { runRefresh } from '../../src/pipeline/index.ts';
import { createApp } from '../../src/web/app.ts';
import { median } from 'simple-statistics';
import { collectorIds, createKeys } from '../support/keys.ts';
import { writeDemoExports } from './demo-shape.ts';

export interface BenchRecordOptions {
  invoices: number;
  /** Writes to time (default 3). */
  writes?: number;
  log?: (line: string) => void;
}

/** Times collectors' writes and full refreshes on one demo-shaped warehouse; prints a line each. */
export async function benchRecord(o: BenchRecordOptions): Promise<{ write: number[]; promise: number[]; refresh: number[] }> {
  const log = o.log ?? ((l: string) => process.stdout.write(l + '\n'));
  const dir = mkdtempSync(join(tmpdir(), 'cartera-bench-record-'));
  const wh = await Warehouse.open(join(dir, 'w.duckdb'));
  try {
    const t0 = Date.now();
    await runRefresh(wh, { inbox: [await writeDemoExports(dir, o.invoices)], trigger: 'bench' });
    log(`warehouse: ${o.invoices.toLocaleString('en-US')} invoices generated, ingested, built and scored in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const ids = await collectorIds(wh);
    const keys = await createKeys(wh, ids.own);
    // The collector's first customers on the call list, each with a promise of 1.00 on its invoice with most open, due five
    // days after the as-of.
    const chosen = await wh.all<{ customer_id: string; invoice_id: string; promised_date: string; amount: number }>(
      `with chosen as (select customer_id, rank from call_list where collector = $1 order by rank limit $2)
       select c.customer_id, arg_max(i.invoice_id, i.outstanding) as invoice_id,
         ((select as_of from build_options) + 5)::varchar as promised_date, 1 as amount
       from chosen as c join fct_invoices as i on i.customer_id = c.customer_id and i.outstanding >= 1
       group by c.customer_id, c.rank order by c.rank`,
      [ids.own, o.writes ?? 3],
    );
    const customers = chosen.map((r) => r.customer_id);
    const api = await ApiContext.create(wh, { uploadDir: join(dir, 'uploads') });
    const app = createApp(api);
    /** Seconds each write took, recorded and published before it answered 201. */
    const timeWrites = async (path: string, bodies: object[]): Promise<number[]> => {
      const seconds: number[] = [];
      for (const body of bodies) {
        const t = performance.now();
        const r = await app.request(path, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${keys.own}` },
        });
        seconds.push((performance.now() - t) / 1000);
        if (r.status !== 201) throw new Error(`POST ${path} answered ${r.status}: ${await r.text()}`);
      }
      return seconds;
    };
    const write = await timeWrites('/api/activities', customers.map((c) => ({ customer_id: c, channel: 'call', reached: true, outcome: 'callback' })));
    const promise = await timeWrites('/api/promises', chosen);
    const refresh: number[] = [];
    for (let i = 0; i < 2; i++) {
      const t = performance.now();
      await api.write(() => runRefresh(wh, { trigger: 'bench', score: 'stored' }));
      refresh.push((performance.now() - t) / 1000);
    }
    const s = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' / ');
    log(`record  POST /api/activities, published before it answers: ${s(write)} s (median ${median(write).toFixed(2)} s)`);
    log(`record  POST /api/promises, published before it answers: ${s(promise)} s (median ${median(promise).toFixed(2)} s)`);
    log(`refresh full build with the stored model (what each write ran before): ${s(refresh)} s`);
    await api.close();
    return { write, promise, refresh };
  } finally {
    wh.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
