import type { Customer, Horizon } from './customers.ts';
import type { DayFormats } from './days.ts';
import { makeDocuments } from './documents.ts';
import { followUp } from './follow-up.ts';
import type { IdCounters, IdWidths, Ledger } from './ledger-types.ts';
import { Prng } from './prng.ts';
import { settle } from './settlement.ts';

/**
 * One customer's whole ledger: documents, then their settlement, then the collectors' follow-up.
 * Its random stream depends only on the seed and the customer, so a customer's history does not
 * change when other customers do (ids are the exception: they run across customers).
 */
export function customerLedger(
  seed: number,
  customer: Customer,
  horizon: Horizon,
  days: DayFormats,
  ids: IdCounters,
  widths: IdWidths,
): Ledger {
  const rng = Prng.derive(seed, 2, customer.index);
  const documents = makeDocuments(rng, customer, horizon, days, ids, widths);
  const { settlements, payments, disputes } = settle(rng, customer, documents, horizon, ids, widths);
  const { promises, activities } = followUp(rng, settlements, horizon, ids, widths);
  return { documents, payments, disputes, promises, activities };
}
