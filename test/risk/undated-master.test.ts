import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FOREST_PARAMS } from '../../src/risk/forest.ts';
import { backtest, trainModel } from '../../src/risk/index.ts';
import { tempWarehouse } from './fixture.ts';
import { createSyntheticHistory } from './synthetic-history.ts';

/**
 * A customer master's segment and credit limit have no date of their own either: the export
 * shows today's, which a credit team may have set because the customer paid late. So a model
 * "without undated attributes" must learn nothing from the features built on them
 * (segment_late_share, credit_utilisation), and the backtest reports that model whenever the
 * full one used them.
 */
const SMALL = { ...DEFAULT_FOREST_PARAMS, nTrees: 12, treesPerGroup: 4, maxDepth: 6 };
const UNTIL = '2024-01-31';
const MASTER_FEATURES = ['segment_late_share', 'credit_utilisation'];

let ctx: Awaited<ReturnType<typeof tempWarehouse>>;
let plain: Awaited<ReturnType<typeof tempWarehouse>>;

beforeAll(async () => {
  ctx = await tempWarehouse();
  const { wh } = ctx;
  await createSyntheticHistory(wh, 6000);
  // The master tells the hidden propensity: risky customers are in their own segment with a low limit.
  await wh.run(`update fct_invoices set segment = case when hash(customer_id) % 1000 >= 500 then 'watch' else 'retail' end`);
  await wh.run(`insert into dim_customers
    select distinct customer_id, customer_id, null, null,
      case when hash(customer_id) % 1000 >= 500 then 'watch' else 'retail' end, null, 'ES',
      case when hash(customer_id) % 1000 >= 500 then 1000 else 100000 end, 30
    from fct_invoices`);
  // The same history with one segment and no credit limits: the master tells nothing.
  plain = await tempWarehouse();
  await createSyntheticHistory(plain.wh, 6000);
});

afterAll(() => {
  ctx.done();
  plain.done();
});

describe('undated customer-master fields', () => {
  it('the full model learns from them', async () => {
    const model = await trainModel(ctx.wh, { lateDays: 30, trainUntil: UNTIL, skipHoldout: true, params: SMALL });
    expect(MASTER_FEATURES.some((f) => model.feature_importance[f] > 0)).toBe(true);
  });

  it('the model without undated attributes never splits on them', async () => {
    const model = await trainModel(ctx.wh, { lateDays: 30, trainUntil: UNTIL, skipHoldout: true, params: SMALL, undated: false });
    for (const f of MASTER_FEATURES) expect(model.feature_importance[f], f).toBe(0);
  });

  it('the backtest reports the model without them, though the export has no undated attribute', async () => {
    const r = await backtest(ctx.wh, { trainUntil: UNTIL, lateDays: 30, params: SMALL });
    expect(r.model.attributes).toEqual([]);
    expect(r.scorers.map((s) => s.name)).toContain('model without undated attributes');
  });

  it("one segment and no credit limits: the segment late share is every invoice's, and no model is trained without it", async () => {
    const model = await trainModel(plain.wh, { lateDays: 30, trainUntil: UNTIL, skipHoldout: true, params: SMALL });
    // The model does use the share (all invoices', as known each day): that is not the master's.
    expect(model.feature_importance.segment_late_share).toBeGreaterThan(0);
    const r = await backtest(plain.wh, { trainUntil: UNTIL, lateDays: 30, params: SMALL });
    expect(r.scorers.map((s) => s.name)).not.toContain('model without undated attributes');
  });
});
