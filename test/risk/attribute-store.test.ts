import { describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import type { AttributeFeature } from '../../src/risk/attributes.ts';
import { collectExamples, readExamples, SAMPLE } from '../../src/risk/train.ts';
import { AS_OF, syntheticHistories } from './fixture.ts';

const history = syntheticHistories();

const category = (entity: 'invoice' | 'customer', attribute: string, levels: string[]): AttributeFeature => ({
  name: `attr:${entity}.${attribute}`, entity, attribute, kind: 'category', dated: entity === 'invoice', levels,
});
const CHANNEL = category('invoice', 'channel', ['web', 'phone', 'mail']);
const REGION = category('customer', 'region', ['R0', 'R1', 'R2']);

/** The examples' attribute features, by invoice id: through the stores, or counted over the whole history. */
async function encoded(wh: Warehouse, attrs: AttributeFeature[], store: boolean): Promise<{ rows: Map<string, number[]>; from?: string }> {
  await collectExamples(wh, { lateDays: 30, issuedBefore: AS_OF, knownBy: AS_OF, sample: SAMPLE });
  const { m, stored } = await readExamples(wh, 30, attrs, store);
  const first = m.nFeatures - attrs.length;
  const rows = new Map<string, number[]>();
  for (let i = 0; i < m.n; i++) rows.set(m.invoiceIds[i], Array.from(m.X.subarray(i * m.nFeatures + first, (i + 1) * m.nFeatures)));
  return { rows, from: stored?.attributes_from };
}

/** Encodes through the store, checks every value against counting the whole history, and returns the first day counted again. */
async function throughStore(wh: Warehouse, attrs: AttributeFeature[]): Promise<string> {
  const whole = await encoded(wh, attrs, false);
  const read = await encoded(wh, attrs, true);
  expect(read.rows.size).toBe(whole.rows.size);
  expect(whole.rows.size).toBeGreaterThan(1000);
  for (const [id, x] of whole.rows) expect(read.rows.get(id), id).toEqual(x);
  return read.from!;
}

/** The day after the last one the store counted: what a retraining counts when nothing changed. */
async function afterHorizon(wh: Warehouse): Promise<string> {
  return String(await wh.scalar('select (horizon + 1)::varchar from risk_attribute_store_state where late_days = 30'));
}

describe('the attribute store', () => {
  it('counts every day the first time, then only the days after the last one counted', async () => {
    const wh = await history();
    expect(await throughStore(wh, [CHANNEL, REGION])).toBe('0001-01-01');
    expect(await throughStore(wh, [CHANNEL, REGION])).toBe(await afterHorizon(wh));
    // Other codes for the same attributes: the counts are per value, so they serve.
    expect(await throughStore(wh, [{ ...CHANNEL, levels: ['web'] }, { ...REGION, levels: ['R3', 'R1'] }])).toBe(await afterHorizon(wh));
  });

  it("counts again from the day of an older invoice whose attribute changed, though no fact of that day did", async () => {
    const wh = await history();
    await throughStore(wh, [CHANNEL]);
    const older = async (daysBefore: number) => {
      const [{ id, day }] = await wh.all<{ id: string; day: string }>(
        `select invoice_id as id, invoice_date::varchar as day from fct_invoices where invoice_date = date '${AS_OF}' - $1::int order by invoice_id limit 1`,
        [daysBefore],
      );
      await wh.run(`update dim_attributes set value = case value when 'web' then 'phone' else 'web' end
        where entity = 'invoice' and entity_id = $1 and attribute = 'channel'`, [id]);
      return day;
    };
    // The first training hashed the invoices' attribute rows of the days after its last only: every day is counted again, once.
    await older(400);
    expect(await throughStore(wh, [CHANNEL])).toBe('0001-01-01');
    // Since then every day is hashed: from the invoice's day.
    expect(await throughStore(wh, [CHANNEL])).toBe(await afterHorizon(wh));
    const day = await older(300);
    expect(await throughStore(wh, [CHANNEL])).toBe(day);
    // An attribute row of no receivable invoice moves no count, and leaves the counts kept.
    await wh.run(`insert into dim_attributes values ('invoice', 'CN-1', 'channel', 'web', true)`);
    expect(await throughStore(wh, [CHANNEL])).toBe(await afterHorizon(wh));
  });

  it("counts again from a customer's first invoice when its attributes change (the master has no dates)", async () => {
    const wh = await history();
    await throughStore(wh, [REGION]);
    const [{ c, day }] = await wh.all<{ c: string; day: string }>(
      `select customer_id as c, min(invoice_date)::varchar as day from fct_invoices group by customer_id order by customer_id desc limit 1`,
    );
    await wh.run(`update dim_attributes set value = 'R9' where entity = 'customer' and entity_id = $1`, [c]);
    expect(await throughStore(wh, [REGION])).toBe(day);
    await wh.run(`delete from dim_attributes where entity = 'customer' and entity_id = $1`, [c]);
    expect(await throughStore(wh, [REGION])).toBe(day);
  });

  it('counts from the start an attribute it did not keep, and again from the day an outcome changed', async () => {
    const wh = await history();
    await throughStore(wh, [CHANNEL]);
    expect(await throughStore(wh, [CHANNEL, REGION])).toBe(await afterHorizon(wh));
    expect(Number(await wh.scalar(`select count(*) from risk_attribute_store_counts where attribute = 'region'`))).toBeGreaterThan(0);
    // A settlement moved earlier: the outcome becomes known on its new day (on time), no longer after the late line.
    const [{ id, day }] = await wh.all<{ id: string; day: string }>(
      `select invoice_id as id, (due_date - 2)::varchar as day from fct_invoices
       where paid_date > due_date + 30 and invoice_date < date '${AS_OF}' - 300 order by invoice_id limit 1`,
    );
    await wh.run('update fct_invoices set paid_date = $2::date where invoice_id = $1', [id, day]);
    await wh.run('update fct_payments set payment_date = $2::date where invoice_id = $1', [id, day]);
    expect(await throughStore(wh, [CHANNEL, REGION])).toBe(day);
  });
});
