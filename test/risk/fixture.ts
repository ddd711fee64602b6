import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '../../src/db/warehouse.ts';
import { afterEach } from 'vitest';
import { createAttributes, createEmptyMarts, createSyntheticHistory } from './synthetic-history.ts';

/** A fresh warehouse file in its own temp dir; `done()` closes and removes it. */
export async function tempWarehouse(): Promise<{ wh: Warehouse; done: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'cartera-risk-'));
  const wh = await Warehouse.open(join(dir, 'w.duckdb'));
  return {
    wh,
    done: () => {
      wh.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const AS_OF = '2024-06-30';

/**
 * A maker of temp warehouses, each holding a synthetic history of 3,000 invoices to AS_OF with attributes
 * (`createSyntheticHistory`, `createAttributes`), then whatever `more` adds; each is removed after its test.
 */
export function syntheticHistories(more?: (wh: Warehouse) => Promise<void>): () => Promise<Warehouse> {
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    cleanup?.();
    cleanup = undefined;
  });
  return async () => {
    const t = await tempWarehouse();
    cleanup = t.done;
    await createSyntheticHistory(t.wh, 3000, AS_OF);
    await more?.(t.wh);
    await createAttributes(t.wh);
    return t.wh;
  };
}

/** fct_invoices with the mart's columns, empty. */
export async function createInvoicesTable(wh: Warehouse): Promise<void> {
  await wh.run(`create or replace table fct_invoices (
    invoice_id varchar, customer_id varchar, customer_name varchar, document_type varchar, invoice_date date, due_date date,
    amount decimal(18,2), currency varchar, amount_reporting decimal(18,2), paid_amount decimal(18,2), outstanding decimal(18,2),
    outstanding_reporting decimal(18,2), paid_date date, days_to_pay integer, days_late integer, days_past_due integer,
    bucket varchar, disputed boolean, status varchar, collector varchar, segment varchar, country varchar, payment_terms_days integer)`);
}

/** fct_payments with the mart's columns, empty. */
export async function createPaymentsTable(wh: Warehouse): Promise<void> {
  await wh.run(`create or replace table fct_payments (payment_id varchar, customer_id varchar, invoice_id varchar, payment_date date,
    amount decimal(18,2), currency varchar, amount_reporting decimal(18,2), method varchar, is_write_off boolean, is_derived boolean)`);
}

/** One fct_invoices row: an invoice of `customer`, paid in full on `paid` (null: open), nothing else known. */
export function invoiceRow(id: string, customer: string, issued: string, due: string, amount: number, paid: string | null): string {
  return `('${id}', '${customer}', null, 'invoice', date '${issued}', date '${due}', ${amount}, 'EUR', ${amount}, null, null, null,
    ${paid ? `date '${paid}'` : 'null'}, null, null, null, null, false, '${paid ? 'paid' : 'open'}', 'Ana', 'retail', 'ES', 30)`;
}

/** One open invoice of `amount`, `dpd` days past due on AS_OF (negative: not yet due). */
function openInvoice(id: string, customer: string, amount: number, dpd: number, status = 'open', disputed = false): string {
  return `('${id}', '${customer}', null, 'invoice', date '${AS_OF}' - ${dpd} - 30, date '${AS_OF}' - ${dpd}, ${amount}, 'EUR', ${amount},
    0, ${amount}, ${amount}, null, null, null, ${dpd}, null, ${disputed}, '${status}', 'Ana', 'retail', 'ES', 30)`;
}

/**
 * The call-list fixture: hand-made customers whose expected order is worked out by hand from
 * the priority rule (amount at risk x recoverability x urgency), with scores set directly.
 *
 *   E 50,000 x 0.5                       = 25,000 (open promise on 2024-07-05: held until then)
 *   A 10,000 x 0.8                       =  8,000 (45 days past due: formal notice)
 *   B 20,000 x 0.2                       =  4,000 (name is a formula: must be escaped in exports)
 *   D 30,000 disputed: 10% of 30,000     =  3,000 (resolve_dispute, nothing at risk)
 *   H  4,000 x 0.5 x 1.25 (day 27)       =  2,500 (about to enter 31-60)
 *   I  2,000 x 0.5 x 2 (promise today)   =  2,000
 *   C  5,000 x 0.9 x 0.3 (legal)         =  1,350
 *   F  1,000 x 0.3 x 1.25 (due in 3 d)   =    375 (friendly reminder)
 *   G  8,000 due in 20 days              = not listed
 */
export async function createCallListFixture(wh: Warehouse): Promise<void> {
  await createInvoicesTable(wh);
  await createEmptyMarts(wh);
  await wh.run(`create or replace table fct_payments (payment_id varchar, customer_id varchar, invoice_id varchar, payment_date date,
    amount decimal(18,2), currency varchar, amount_reporting decimal(18,2), method varchar, is_write_off boolean, is_derived boolean)`);
  await wh.run(`insert into fct_invoices values
    ${openInvoice('IA', 'A', 10000, 45)}, ${openInvoice('IB', 'B', 20000, 10)}, ${openInvoice('IC', 'C', 5000, 200, 'legal')},
    ${openInvoice('ID', 'D', 30000, 20, 'open', true)}, ${openInvoice('IE', 'E', 50000, 15)}, ${openInvoice('IF', 'F', 1000, -3)},
    ${openInvoice('IG', 'G', 8000, -20)}, ${openInvoice('IH', 'H', 4000, 27)}, ${openInvoice('II', 'I', 2000, 5)}`);
  await wh.run(`insert into dim_customers values
    ('A', 'Alfa SA', 'pagos@alfa.es', '+34 600 000 001', 'retail', 'Ana', 'ES', 50000, 30),
    ('B', '=HYPERLINK("http://x","y")', '@b.es', '-1', 'retail', 'Ana', 'ES', null, 30),
    ('C', 'Gamma SL', null, null, 'retail', 'Ana', 'ES', null, 30),
    ('D', 'Delta SA', null, null, 'retail', 'Ana', 'ES', null, 30),
    ('E', 'Épsilon SA', null, null, 'retail', 'Ana', 'ES', null, 30),
    ('F', 'Zeta SA', null, null, 'retail', 'Ana', 'ES', null, 30),
    ('G', 'Eta SA', null, null, 'retail', 'Ana', 'ES', null, 30),
    ('H', 'Theta SA', null, null, 'retail', 'Ana', 'ES', null, 30),
    ('I', 'Iota SA', null, null, 'retail', 'Ana', 'ES', null, 30)`);
  await wh.run(`insert into fct_disputes values ('DS1', 'ID', 'D', date '${AS_OF}' - 10, null, 30000, 'price', 'open')`);
  await wh.run(`insert into fct_promises values
    ('P1', 'E', 'IE', date '${AS_OF}' - 2, date '2024-07-05', 50000, 'pending'),
    ('P2', 'I', 'II', date '${AS_OF}' - 5, date '${AS_OF}', 2000, 'open')`);
  await wh.run(`insert into fct_activities values ('AC1', 'A', 'IA', date '${AS_OF}' - 3, 'phone', 'no_answer', 'Ana', 'left voicemail')`);
  await wh.run(`create or replace table risk_scores (invoice_id varchar, customer_id varchar, as_of date, probability double,
    risk_band varchar, reasons varchar, reason_values double[], model_version varchar)`);
  const p: Record<string, number> = { A: 0.8, B: 0.2, C: 0.9, D: 0.9, E: 0.5, F: 0.3, G: 0.3, H: 0.5, I: 0.5 };
  for (const [c, prob] of Object.entries(p)) {
    await wh.run(`insert into risk_scores values ($1, $2, $3::date, $4, 'C', 'disputed', [1], 'test')`, [`I${c}`, c, AS_OF, prob]);
  }
}
