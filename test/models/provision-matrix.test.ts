import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { modelDefinition } from '../../src/models/definitions.ts';
import { ApiContext } from '../../src/api/context.ts';
import { ensureApiSchema } from '../../src/api/schema.ts';
import { createToken } from '../../src/api/tokens.ts';
import { createApp } from '../../src/web/app.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';
import { ROLL_INVOICES, ROLL_PAYMENTS } from './roll-fixture.ts';
import { failingChecks } from './model-checks.ts';

// The roll-rate fixture of agg-roll-rates.test.ts (customer C1, segment Corporativo), with E closed in April (150 written
// off, 50 paid), and one PyME invoice G of customer C2. Built at 2024-04-30, default buckets, aged by due date.
// provision.yaml: window_months 3, min_documents 1, adjustment_pct 10, bucket_adjustment_pct {120+: 50}.
// Balance and bucket at each month end:
//        Dec-31       Jan-31        Feb-29              Mar-31           Apr-30
//   E    31-60 200    61-90 200     91-120 200          120+ 200         closed: 150 written off 04-20, 50 paid 04-25
//   C    cur 800      31-60 800     31-60 500 (300 w/o) 91-120 500       120+ 500
//   A                 cur 1,000     1-30 1,000          31-60 600        61-90 600
//   B                 cur 500       paid 02-10
//   D                               cur 300             1-30 300         31-60 300
//   F                                                   cur 1,000        1-30 1,000
//   G (PyME)                        cur 100             1-30 60 (40 paid) 31-60 60
// Each month, per bucket, of what left it (its balance less what stayed in it): rolled older / written off.
//   Dec: current 800/800 rolled; 31-60 200/200 rolled.
//   Jan: current 1,000 rolled of 1,500 (2/3); 31-60 300 left (500 stayed), all written off: roll 0, write-off 1;
//        61-90 200/200 rolled.
//   Feb: current 360 rolled of 400 (0.9; C1 alone 300/300 = 1, PyME 60/100); 1-30 600/1,000 (0.6);
//        31-60 500/500 (skips to 91-120: still rolled); 91-120 200/200.
//   Mar: current 1,000/1,000; 1-30 360/360; 31-60 600/600; 91-120 500/500; 120+ 200 left: 150 written off (0.75), 0 rolled.
// At Apr-30 (window Jan, Feb, Mar), portfolio: roll current (2/3 + 0.9 + 1)/3 = 77/90; 1-30 (0.6 + 1)/2 = 0.8;
//   31-60 roll (0 + 1 + 1)/3 = 2/3, write-off 1/3; 61-90 1; 91-120 1; 120+ write-off 0.75.
//   Loss rates, from the last: 120+ 0.75; 91-120 0.75; 61-90 0.75; 31-60 1/3 + 2/3 x 0.75 = 5/6; 1-30 0.8 x 5/6 = 2/3;
//   current 77/90 x 2/3 = 77/135 = 0.570370.
//   Corporativo alone: current (2/3 + 1 + 1)/3 = 8/9, the rest as the portfolio: current 8/9 x 2/3 = 16/27 = 0.592593.
//   Corporativo has >= 1 document-month in every bucket and an exit from 120+: its own rates. PyME has none in 31-60..120+:
//   portfolio rates.
// At Mar-31 (window Dec, Jan, Feb), nothing ever left 120+: its write-off rate counts as 1 (one bucket without history).
//   Portfolio roll current (1 + 2/3 + 0.9)/3 = 77/90, 1-30 0.6, 31-60 2/3 + 1/3, 61-90 1, 91-120 1: loss rates
//   current 77/90 x 0.6 = 0.513333, 1-30 0.6, 31-60..120+ 1. Both segments take them (Corporativo's last bucket has no history).
// Provision = exposure x min(1, loss rate x (1 + adjustment)), to the cent:
//   Apr-30 Corporativo: 1-30 1,000 x 0.666667 x 1.1 = 733.33; 31-60 300 x 0.833333 x 1.1 = 275.00;
//     61-90 600 x 0.75 x 1.1 = 495.00; 120+ 500 x min(1, 0.75 x 1.5) = 500.00. PyME 31-60 60 x 0.833333 x 1.1 = 55.00.
//     Total 2,058.33.
//   Mar-31 Corporativo: current 1,000 x 0.513333 x 1.1 = 564.67; 1-30 300 x 0.6 x 1.1 = 198.00; 31-60 600 x min(1, 1.1) = 600.00;
//     91-120 500.00; 120+ 200 x 1 = 200.00. PyME 1-30 60 x 0.6 x 1.1 = 39.60. Total 2,102.27.
//   Movement: 2,058.33 - 2,102.27 = -43.94.
let wh: Warehouse;
let dir: string;
let close: () => void;

const SETTINGS = `window_months: 3
min_documents: 1
adjustment_pct: 10
bucket_adjustment_pct:
  120+: 50
`;

async function loadFixture(into: Warehouse): Promise<void> {
  await insertRaw(into, 'customers', [
    { customer_id: 'C1', name: 'Uno', segment: 'Corporativo' },
    { customer_id: 'C2', name: 'Dos', segment: 'PyME' },
  ]);
  await insertRaw(into, 'invoices', [
    ...ROLL_INVOICES,
    { invoice_id: 'G', customer_id: 'C2', invoice_date: '2024-02-15', due_date: '2024-03-15', amount: 100 },
  ]);
  await insertRaw(into, 'payments', [
    ...ROLL_PAYMENTS,
    { payment_id: 'PG', customer_id: 'C2', invoice_id: 'G', payment_date: '2024-03-20', amount: 40 },
    { payment_id: 'WE', customer_id: 'C1', invoice_id: 'E', payment_date: '2024-04-20', amount: 150, method: 'Castigo' },
    { payment_id: 'PE', customer_id: 'C1', invoice_id: 'E', payment_date: '2024-04-25', amount: 50 },
    // After the as-of: must not move anything up to 2024-04-30.
    { payment_id: 'PF', customer_id: 'C1', invoice_id: 'F', payment_date: '2024-05-05', amount: 1000 },
  ]);
}

beforeAll(async () => {
  const t = await tempWarehouse();
  ({ wh, dir, close } = t);
  writeFileSync(join(dir, 'provision.yaml'), SETTINGS);
  await loadFixture(wh);
  await runBuild(wh, { asOf: '2024-04-30' });
});
afterAll(() => close());

type Row = Record<string, string | number | null>;
const COLUMNS = `segment, bucket, rate_basis, exposure, roll_rate, write_off_rate, missing_links, loss_rate, adjustment_pct, provision, provision_previous, provision_change`;
const at = (monthEnd: string) => wh.all<Row>(`select ${COLUMNS} from agg_provision_matrix where month_end = $1 order by segment, bucket_order`, [monthEnd]);

describe('agg_provision_matrix on a hand-computed portfolio', () => {
  it('computes roll rates, write-off rates, loss rates, provision and movement at the latest month end', async () => {
    const r = (segment: string, bucket: string, rate_basis: string, exposure: string, roll_rate: string, write_off_rate: string, loss_rate: string, adjustment_pct: string, provision: string, provision_previous: string, provision_change: string): Row => ({
      segment, bucket, rate_basis, exposure, roll_rate, write_off_rate, missing_links: 0, loss_rate, adjustment_pct, provision, provision_previous, provision_change,
    });
    expect(await at('2024-04-30')).toEqual([
      r('Corporativo', 'current', 'segment', '0.00', '0.888889', '0.000000', '0.592593', '10.0000', '0.00', '564.67', '-564.67'),
      r('Corporativo', '1-30', 'segment', '1000.00', '0.800000', '0.000000', '0.666667', '10.0000', '733.33', '198.00', '535.33'),
      r('Corporativo', '31-60', 'segment', '300.00', '0.666667', '0.333333', '0.833333', '10.0000', '275.00', '600.00', '-325.00'),
      r('Corporativo', '61-90', 'segment', '600.00', '1.000000', '0.000000', '0.750000', '10.0000', '495.00', '0.00', '495.00'),
      r('Corporativo', '91-120', 'segment', '0.00', '1.000000', '0.000000', '0.750000', '10.0000', '0.00', '500.00', '-500.00'),
      r('Corporativo', '120+', 'segment', '500.00', '0.000000', '0.750000', '0.750000', '50.0000', '500.00', '200.00', '300.00'),
      r('PyME', 'current', 'portfolio', '0.00', '0.855556', '0.000000', '0.570370', '10.0000', '0.00', '0.00', '0.00'),
      r('PyME', '1-30', 'portfolio', '0.00', '0.800000', '0.000000', '0.666667', '10.0000', '0.00', '39.60', '-39.60'),
      r('PyME', '31-60', 'portfolio', '60.00', '0.666667', '0.333333', '0.833333', '10.0000', '55.00', '0.00', '55.00'),
      r('PyME', '61-90', 'portfolio', '0.00', '1.000000', '0.000000', '0.750000', '10.0000', '0.00', '0.00', '0.00'),
      r('PyME', '91-120', 'portfolio', '0.00', '1.000000', '0.000000', '0.750000', '10.0000', '0.00', '0.00', '0.00'),
      r('PyME', '120+', 'portfolio', '0.00', '0.000000', '0.750000', '0.750000', '50.0000', '0.00', '0.00', '0.00'),
    ]);
  });

  it('falls back to the portfolio and counts a last bucket without history as lost, at the month end before', async () => {
    const rows = await at('2024-03-31');
    expect(rows.map((x) => [x.segment, x.bucket, x.rate_basis, x.exposure, x.loss_rate, x.missing_links, x.provision])).toEqual([
      ['Corporativo', 'current', 'portfolio', '1000.00', '0.513333', 1, '564.67'],
      ['Corporativo', '1-30', 'portfolio', '300.00', '0.600000', 1, '198.00'],
      ['Corporativo', '31-60', 'portfolio', '600.00', '1.000000', 1, '600.00'],
      ['Corporativo', '61-90', 'portfolio', '0.00', '1.000000', 1, '0.00'],
      ['Corporativo', '91-120', 'portfolio', '500.00', '1.000000', 1, '500.00'],
      ['Corporativo', '120+', 'portfolio', '200.00', '1.000000', 1, '200.00'],
      ['PyME', 'current', 'portfolio', '0.00', '0.513333', 1, '0.00'],
      ['PyME', '1-30', 'portfolio', '60.00', '0.600000', 1, '39.60'],
      ['PyME', '31-60', 'portfolio', '0.00', '1.000000', 1, '0.00'],
      ['PyME', '61-90', 'portfolio', '0.00', '1.000000', 1, '0.00'],
      ['PyME', '91-120', 'portfolio', '0.00', '1.000000', 1, '0.00'],
      ['PyME', '120+', 'portfolio', '0.00', '1.000000', 1, '0.00'],
    ]);
  });

  it('totals the provision and its movement in DECIMAL, in the reporting currency', async () => {
    const totals = await wh.all(
      `select month_end::varchar as month_end, sum(exposure)::varchar as exposure, sum(provision)::varchar as provision,
              sum(provision_previous)::varchar as previous, sum(provision_change)::varchar as change, any_value(reporting_currency) as currency
       from agg_provision_matrix where month_end = '2024-04-30' group by all`,
    );
    expect(totals).toEqual([{ month_end: '2024-04-30', exposure: '2460.00', provision: '2058.33', previous: '2102.27', change: '-43.94', currency: 'XXX' }]);
    expect(await wh.scalar(`select sum(exposure)::varchar || ' ' || sum(provision)::varchar from agg_provision_matrix where month_end = '2024-03-31'`)).toBe('2660.00 2102.27');
    const types = await wh.all(`select column_name, column_type from (describe agg_provision_matrix) where column_name in ('exposure', 'provision', 'provision_change')`);
    expect(types.map((t) => t.column_type)).toEqual(['DECIMAL(18,2)', 'DECIMAL(18,2)', 'DECIMAL(18,2)']);
  });

  it('keeps one row per month end, segment and bucket from the first document to the as-of, and its checks hold', async () => {
    expect(await wh.scalar(`select string_agg(distinct month_end::varchar, ',' order by month_end::varchar) from agg_provision_matrix`)).toBe(
      '2023-11-30,2023-12-31,2024-01-31,2024-02-29,2024-03-31,2024-04-30',
    );
    expect(Number(await wh.scalar(`select count(*) from agg_provision_matrix`))).toBe(6 * 2 * 6);
    expect(await failingChecks(wh, ['marts/agg_provision_matrix'])).toEqual([]);
  });

  it('defines every column once, in Spanish and English, in its .yml', async () => {
    const columns = (await wh.all<{ column_name: string }>(`select column_name from (describe agg_provision_matrix)`)).map((c) => c.column_name);
    const defined = modelDefinition('agg_provision_matrix')!.columns;
    expect(Object.keys(defined).sort()).toEqual([...columns].sort());
    for (const c of columns) for (const text of [defined[c].label.es, defined[c].label.en, defined[c].definition.es, defined[c].definition.en]) expect(text.trim().length, c).toBeGreaterThan(1);
  });

  it('records the settings it was built with', async () => {
    expect(await wh.all(`select window_months, min_documents, adjustment_pct::varchar as pct, bucket_adjustment_pct::varchar as buckets from provision_settings`)).toEqual([
      { window_months: 3, min_documents: 1, pct: '10.0000', buckets: "[{'bucket': 120+, 'adjustment_pct': 50.0000}]" },
    ]);
  });

  it('serves the matrix at /api/provision to finance readers, as the mart has it', async () => {
    await ensureApiSchema(wh);
    const keys = { cfo: (await createToken(wh, { role: 'cfo', name: 'cfo' })).key, collections: (await createToken(wh, { role: 'collections', name: 'team' })).key };
    const api = await ApiContext.create(wh, { uploadDir: join(dir, 'uploads') });
    try {
      const app = createApp(api);
      const get = (path: string, role: keyof typeof keys) => app.request(path, { headers: { Authorization: `Bearer ${keys[role]}` } });
      const r = await get('/api/provision', 'cfo');
      expect(r.status).toBe(200);
      const data = ((await r.json()) as { data: Row[] }).data;
      expect(data).toHaveLength(72);
      expect(data.find((x) => x.month_end === '2024-04-30' && x.segment === 'Corporativo' && x.bucket === '1-30')).toMatchObject({
        exposure: '1000.00', loss_rate: '0.666667', provision: '733.33', provision_change: '535.33',
      });
      expect((await get('/api/provision', 'collections')).status).toBe(403);
    } finally {
      await api.close();
    }
  });

  it('does not move a month end when later months are built', async () => {
    const before = await wh.all(`select * from agg_provision_matrix where month_end <= '2024-04-30' order by all`);
    await runBuild(wh, { asOf: '2024-05-31' });
    expect(await wh.all(`select * from agg_provision_matrix where month_end <= '2024-04-30' order by all`)).toEqual(before);
    expect(await wh.scalar(`select max(month_end)::varchar from agg_provision_matrix`)).toBe('2024-05-31');
  });
});

describe('provision.yaml', () => {
  it('builds with no adjustment, a 12-month window and 30 documents when there is no file', async () => {
    const t = await tempWarehouse();
    try {
      const own = t.wh;
      await loadFixture(own);
      await runBuild(own, { asOf: '2024-04-30' });
      expect(await own.all(`select distinct adjustment_pct::varchar as pct, window_months, rate_basis from agg_provision_matrix`)).toEqual([
        { pct: '0.0000', window_months: 12, rate_basis: 'portfolio' },
      ]);
      // 12 months reach back to Nov. Roll current: Nov 1 (E skips to 31-60), Dec 1, Jan 2/3, Feb 0.9, Mar 1 -> 137/150;
      // 31-60: Dec rolled, Jan written off, Feb, Mar rolled -> roll 3/4, write-off 1/4, loss 1/4 + 3/4 x 0.75 = 0.8125;
      // 1-30 0.8 x 0.8125 = 0.65; current 137/150 x 0.65 = 0.593667.
      expect(await own.scalar(`select loss_rate::varchar from agg_provision_matrix where month_end = '2024-04-30' and segment = 'PyME' and bucket = 'current'`)).toBe('0.593667');
    } finally {
      t.close();
    }
  });

  it('fails the build naming a bucket the build does not have, and a field it does not know', async () => {
    const t = await tempWarehouse();
    try {
      writeFileSync(join(t.dir, 'provision.yaml'), 'bucket_adjustment_pct:\n  180+: 5\n');
      await insertRaw(t.wh, 'invoices', [{ invoice_id: 'X', customer_id: 'C1', invoice_date: '2024-01-01', due_date: '2024-01-31', amount: 10 }]);
      await expect(runBuild(t.wh, { asOf: '2024-04-30' })).rejects.toThrow(
        /bucket_adjustment_pct names 180\+, not a bucket of this build \(current, 1-30, 31-60, 61-90, 91-120, 120\+\)/,
      );
      writeFileSync(join(t.dir, 'provision.yaml'), 'adjustment: 5\n');
      await expect(runBuild(t.wh, { asOf: '2024-04-30' })).rejects.toThrow(/provision\.yaml: .*adjustment.*\(fields: window_months/);
    } finally {
      t.close();
    }
  });
});
