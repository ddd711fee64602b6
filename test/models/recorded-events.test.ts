import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRecordedTables } from '../../src/canonical/recorded-events.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { runBuild } from '../../src/models/index.ts';
import { insertRaw, tempWarehouse } from './fixtures.ts';

// Built at 2024-03-31, all in MXN. Customer C1 owes I1 (1,000) and I2 (500).
// Imported (batch 7): promise P1 (made 03-01, for 03-10, 200; paid 03-05: kept), dispute D1 on I1, a call A1.
// Recorded in Cartera:
//   RP1 made 03-20 for 03-25, 300, nothing paid           -> broken (date passed without payment)
//   RP2 made 03-20 for 04-10, 100                         -> pending
//   RP3 made 03-20 for 04-15, 100, closed broken on 03-28 -> broken (closed before its date)
//   RP4 made 03-20 for 04-15, 100, closed kept on 04-02   -> pending (the close is after the as-of)
//   RD1 on I1 and I2 (600 + 300), opened 03-22            -> two rows, RD1/I1 and RD1/I2, open
//   RD2 on I2, opened 03-01, resolved 03-30               -> resolved
//   RA1 a call on 03-29, reached, callback
let wh: Warehouse;
let close: () => void;

const who = `'own', 'key:t1', timestamp '2024-03-31 10:00:00'`;

beforeAll(async () => {
  const t = await tempWarehouse();
  ({ wh, close } = t);
  await insertRaw(wh, 'customers', [{ customer_id: 'C1', name: 'Uno', collector: 'ana' }]);
  await insertRaw(wh, 'invoices', [
    { invoice_id: 'I1', customer_id: 'C1', invoice_date: '2024-01-05', due_date: '2024-02-04', amount: 1000, currency: 'MXN' },
    { invoice_id: 'I2', customer_id: 'C1', invoice_date: '2024-01-06', due_date: '2024-02-05', amount: 500, currency: 'MXN' },
  ]);
  await insertRaw(wh, 'payments', [{ payment_id: 'PAY1', customer_id: 'C1', invoice_id: 'I2', payment_date: '2024-03-05', amount: 200, currency: 'MXN' }]);
  await insertRaw(wh, 'promises_to_pay', [{ promise_id: 'P1', customer_id: 'C1', promise_date: '2024-03-01', promised_date: '2024-03-10', amount: 200 }], 7);
  await insertRaw(wh, 'disputes', [{ dispute_id: 'D1', invoice_id: 'I1', customer_id: 'C1', opened_date: '2024-01-10', amount: 100, reason: 'price' }], 7);
  await insertRaw(wh, 'collection_activities', [{ activity_id: 'A1', customer_id: 'C1', activity_date: '2024-03-02', channel: 'call', outcome: 'no_answer' }], 7);
  await ensureRecordedTables(wh);
  await wh.run(`insert into recorded_promises (promise_id, customer_id, invoice_id, promise_date, promised_date, amount, currency, note, collector, recorded_by, recorded_by_subject, recorded_at, closed_status, closed_date) values
    ('RP1', 'C1', null, '2024-03-20', '2024-03-25', 300, 'MXN', null, 'ana', ${who}, null, null),
    ('RP2', 'C1', null, '2024-03-20', '2024-04-10', 100, 'MXN', null, 'ana', ${who}, null, null),
    ('RP3', 'C1', null, '2024-03-20', '2024-04-15', 100, 'MXN', null, 'ana', ${who}, 'broken', '2024-03-28'),
    ('RP4', 'C1', null, '2024-03-20', '2024-04-15', 100, 'MXN', null, 'ana', ${who}, 'kept', '2024-04-02')`);
  await wh.run(`insert into recorded_disputes (dispute_id, invoice_id, customer_id, opened_date, amount, currency, reason, collector, recorded_by, recorded_by_subject, recorded_at, resolved_date) values
    ('RD1', 'I1', 'C1', '2024-03-22', 600, 'MXN', 'damaged', 'ana', ${who}, null),
    ('RD1', 'I2', 'C1', '2024-03-22', 300, 'MXN', 'damaged', 'ana', ${who}, null),
    ('RD2', 'I2', 'C1', '2024-03-01', 50, 'MXN', 'price', 'ana', ${who}, '2024-03-30')`);
  await wh.run(`insert into recorded_activities values ('RA1', 'C1', null, '2024-03-29', 'call', true, 'callback', 'lunes', '2024-04-01', 'ana', ${who})`);
  // No collector of its own: it takes the customer's.
  await wh.run(`insert into recorded_activities values ('RA2', 'C1', null, '2024-03-30', 'email', false, 'no_answer', null, null, null, ${who})`);
  await runBuild(wh, { asOf: '2024-03-31' });
});
afterAll(() => close());

describe('recorded events beside the imported ones', () => {
  it('promises: status from the payments, the date, or the close (from its closed_date on), each with its source', async () => {
    const rows = await wh.all(`select promise_id, status, source, recorded_by from fct_promises order by promise_id`);
    expect(rows).toEqual([
      { promise_id: 'P1', status: 'kept', source: 'batch 7', recorded_by: null },
      { promise_id: 'RP1', status: 'broken', source: 'cartera', recorded_by: 'own' },
      { promise_id: 'RP2', status: 'pending', source: 'cartera', recorded_by: 'own' },
      { promise_id: 'RP3', status: 'broken', source: 'cartera', recorded_by: 'own' },
      { promise_id: 'RP4', status: 'pending', source: 'cartera', recorded_by: 'own' },
    ]);
  });

  it('agg_promises counts them: 1 kept, 2 broken, 2 pending in March', async () => {
    const [m] = await wh.all(`select made, kept, broken, pending, kept_rate_pct::varchar as rate from agg_promises where month = '2024-03-01' and collector = 'ana'`);
    expect(m).toEqual({ made: '5', kept: '1', broken: '2', pending: '2', rate: '33.33' });
  });

  it('disputes: one row per invoice with a key of its own, resolved when closed', async () => {
    const rows = await wh.all(`select dispute_id, invoice_id, amount::varchar as amount, status, source from fct_disputes order by dispute_id`);
    expect(rows).toEqual([
      { dispute_id: 'D1', invoice_id: 'I1', amount: '100.00', status: 'open', source: 'batch 7' },
      { dispute_id: 'RD1/I1', invoice_id: 'I1', amount: '600.00', status: 'open', source: 'cartera' },
      { dispute_id: 'RD1/I2', invoice_id: 'I2', amount: '300.00', status: 'open', source: 'cartera' },
      { dispute_id: 'RD2', invoice_id: 'I2', amount: '50.00', status: 'resolved', source: 'cartera' },
    ]);
  });

  it('activities: reached, next action and who come with the recorded ones', async () => {
    const rows = await wh.all(`select activity_id, channel, outcome, reached, next_action_date::varchar as next, collector, source from fct_activities order by activity_id`);
    expect(rows).toEqual([
      { activity_id: 'A1', channel: 'call', outcome: 'no_answer', reached: null, next: null, collector: 'ana', source: 'batch 7' },
      { activity_id: 'RA1', channel: 'call', outcome: 'callback', reached: true, next: '2024-04-01', collector: 'ana', source: 'cartera' },
      { activity_id: 'RA2', channel: 'email', outcome: 'no_answer', reached: false, next: null, collector: 'ana', source: 'cartera' },
    ]);
  });

  it('the as-of is the ERP data date: recorded events do not move it', async () => {
    await runBuild(wh, {});
    expect(await wh.scalar(`select as_of::varchar from build_options`)).toBe('2024-03-05');
  });
});
