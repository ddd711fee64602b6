import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { selectAttributes, type AttributeFeature } from '../../src/risk/attributes.ts';
import { buildFeatures } from '../../src/risk/features.ts';
import { collectExamples } from '../../src/risk/train.ts';
import { createInvoicesTable, tempWarehouse } from './fixture.ts';
import { createEmptyMarts } from './synthetic-history.ts';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const D = '2024-03-20';

/** One row of fct_invoices (customer C1). */
const invoice = (id: string, issued: string, due: string, paid: string | null) =>
  `('${id}', 'C1', null, 'invoice', date '${issued}', date '${due}', 100, 'EUR', 100, ${paid ? 100 : 0}, ${paid ? 0 : 100}, ${paid ? 0 : 100},
    ${paid ? `date '${paid}'` : 'null'}, null, null, null, null, false, '${paid ? 'paid' : 'open'}', 'Ana', 'retail', 'ES', 30)`;

/**
 * Outcomes known on D (late = more than 30 days after due; a late one is known on due + 31):
 *   A1 x late (known 2024-03-02), A2 x on time (2024-02-01), A4 x on time (2024-03-01), A3 y late (2024-03-11);
 *   A5 x late, but known only on 2024-03-22: after D. Targets T (x), U (z, never seen before), V (no value), open on D.
 */
async function fixture(): Promise<Warehouse> {
  const t = await tempWarehouse();
  cleanup = t.done;
  await createInvoicesTable(t.wh);
  await createEmptyMarts(t.wh);
  await t.wh.run(`insert into fct_invoices values
    ${invoice('A1', '2024-01-01', '2024-01-31', '2024-03-15')}, ${invoice('A2', '2024-01-05', '2024-02-04', '2024-02-01')},
    ${invoice('A3', '2024-01-10', '2024-02-09', '2024-04-20')}, ${invoice('A4', '2024-02-01', '2024-03-02', '2024-03-01')},
    ${invoice('A5', '2024-01-20', '2024-02-20', '2024-04-30')},
    ${invoice('T', '2024-03-20', '2024-04-19', null)}, ${invoice('U', '2024-03-18', '2024-04-17', null)}, ${invoice('V', '2024-03-19', '2024-04-18', null)}`);
  await t.wh.run(`create table dim_attributes as select 'invoice' as entity, entity_id, attribute, value, true as dated
    from (values ('A1', 'channel', 'x'), ('A2', 'channel', 'x'), ('A4', 'channel', 'x'), ('A3', 'channel', 'y'), ('A5', 'channel', 'x'),
                 ('T', 'channel', 'x'), ('U', 'channel', 'z'), ('T', 'weight', '12.5')) as v(entity_id, attribute, value)`);
  return t.wh;
}

const SPEC: AttributeFeature[] = [
  { name: 'attr:invoice.channel', entity: 'invoice', attribute: 'channel', kind: 'category', dated: true, levels: ['x'] },
  { name: 'num:invoice.weight', entity: 'invoice', attribute: 'weight', kind: 'number', dated: true, levels: [] },
];

async function attributeFeatures(wh: Warehouse): Promise<Record<string, number[]>> {
  await buildFeatures(wh, `select invoice_id, date '${D}' as as_of from fct_invoices where invoice_id in ('T', 'U', 'V')`, {}, 30, SPEC);
  const rows = await wh.all<{ invoice_id: string; v: number[] }>(
    'select f.invoice_id, list(a.v order by a.idx) as v from risk_features f join risk_attr_values a using (rn) group by 1 order by 1',
  );
  return Object.fromEntries(rows.map((r) => [r.invoice_id, r.v]));
}

describe('attribute features', () => {
  it("encode a category as its value's late share known on the date, shrunk 20 invoices toward the overall share, minus it", async () => {
    const f = await attributeFeatures(await fixture());
    // Known on D: A1-A4, 2 late of 4: overall 0.5 (A5's lateness is known only after D).
    // T, x: A1, A2, A4 = 1 late of 3: (1 + 20 x 0.5) / (3 + 20) - 0.5 = -1/46.
    expect(f.T[0]).toBeCloseTo(-1 / 46, 12);
    // U, z: not among the levels, pooled with y (A3, late): (1 + 10) / 21 - 0.5 = 1/42.
    expect(f.U[0]).toBeCloseTo(1 / 42, 12);
    // V, no value: no known invoice without one: (0 + 10) / 20 - 0.5 = 0.
    expect(f.V[0]).toBe(0);
    // A number as it is; none given: -1e12.
    expect([f.T[1], f.U[1], f.V[1]]).toEqual([12.5, -1e12, -1e12]);
  });

  it('choose a value a level only with 30 training examples (outcomes known by the cut-off), and skip what has one value everywhere', async () => {
    const wh = await fixture();
    // The examples a model trained on 2024-04-01 learns from: outcomes known by then (A1-A3, A5; A4's late line is 04-01).
    const chosen = async (undated: boolean) => {
      await collectExamples(wh, { lateDays: 30, issuedBefore: '2024-04-01', knownBy: '2024-04-01' });
      return selectAttributes(wh, { undated });
    };
    // Nothing here has 30 known outcomes: no level, no category; the weight has 1 value on 1 invoice of 8, so it is 'none' elsewhere,
    // but a number needs more than 50 distinct values.
    expect(await chosen(true)).toEqual([]);
    await wh.run(`insert into fct_invoices select 'B' || i, 'C1', null, 'invoice', date '2024-01-01', date '2024-01-31', 100, 'EUR', 100, 100, 0, 0,
      date '2024-01-20', null, null, null, null, false, 'paid', 'Ana', 'retail', 'ES', 30 from range(30) t(i)`);
    await wh.run(`insert into dim_attributes select 'invoice', 'B' || i, 'channel', 'x', true from range(30) t(i)`);
    await wh.run(`insert into dim_attributes select 'invoice', 'B' || i, 'flag', 'yes', false from range(30) t(i)`);
    expect((await chosen(true)).map((a) => [a.name, a.levels, a.dated])).toEqual([['attr:invoice.channel', ['x'], true], ['attr:invoice.flag', ['yes'], false]]);
    expect((await chosen(false)).map((a) => a.name)).toEqual(['attr:invoice.channel']);
  });
});
