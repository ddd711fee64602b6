// The demo written as CFDIs and as canonical CSV, each through the real ingest and build, must owe
// the same: per customer, currency and aging bucket, the same open documents for the same amounts
// (in the document's currency) at the as-of.
//
// Left out, on purpose, because a CFDI cannot say them:
// - write-offs: writing a debt off is the company's own entry, with no CFDI (no complement pays the
//   invoice), so an invoice the CSV ledger wrote off is still open per its CFDIs. Those invoices are
//   excluded on both sides, and the test checks there is at least one.
// - cash received on account and not applied (CSV payments with no invoice): a payment complement
//   must name the invoices it pays, so it has none. Only documents are compared (payment_id is null).
// Customers are matched by tax id, so the ids differ between the dialects for customers abroad: a Mexican customer's CFDI
// key is its RFC (its tax_id in the CSV); a customer abroad is invoiced under the SAT's generic RFC XEXX010101000 and keyed
// XEXX010101000-{ResidenciaFiscal}-{NumRegIdTrib}, matched here through its country (alpha-3) and its NumRegIdTrib, the
// CSV tax_id without its dots, dashes and spaces.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../src/db/warehouse.ts';
import { stampUuid } from '../../../src/generate/cfdi/identity.ts';
import { generateExports } from '../../../src/generate/generate.ts';
import { runBuild } from '../../../src/models/index.ts';
import { ingestInto, tempDir } from '../helpers.ts';

const OPTIONS = { customers: 8, invoices: 120, seed: 1, end: '2025-06-30', years: 1 } as const;
const dir = tempDir('cartera-gen-cfdi-');
let csv: Warehouse;
let cfdi: Warehouse;

async function loadAndBuild(dialect: 'canonical' | 'cfdi'): Promise<Warehouse> {
  const out = join(dir, dialect);
  await generateExports({ ...OPTIONS, out, dialect });
  const { wh } = await ingestInto(out, [out], { strict: true });
  await runBuild(wh, { asOf: OPTIONS.end });
  return wh;
}

type Row = { customer: string; currency: string; bucket: string; documents: number; outstanding: string };

/** Open documents by customer, currency and bucket, leaving out the invoices in `excluded`. */
async function openBalances(wh: Warehouse, excluded: string[], customer: (id: string) => string): Promise<Row[]> {
  const rows = await wh.all<{ customer_id: string; currency: string; bucket: string; documents: number; outstanding: string }>(
    `select customer_id, currency, bucket, count(*)::int as documents, sum(outstanding)::varchar as outstanding
       from ar_aging
      where payment_id is null and invoice_id not in (select unnest(from_json($1::json, '["VARCHAR"]')))
      group by all`,
    [JSON.stringify(excluded)],
  );
  const out = rows.map((r) => ({ customer: customer(r.customer_id), currency: r.currency, bucket: r.bucket, documents: r.documents, outstanding: r.outstanding }));
  return out.sort((a, b) => `${a.customer} ${a.currency} ${a.bucket}`.localeCompare(`${b.customer} ${b.currency} ${b.bucket}`));
}

let writtenOff: string[];
let keyOf: Map<string, string>;
let abroad: { customer_id: string; country: string; tax_id: string }[];

const ALPHA3: Record<string, string> = { US: 'USA', CO: 'COL', CL: 'CHL' };
/** The CFDI warehouse's customer id of a CSV customer. */
const cfdiKey = (c: { country: string; tax_id: string }) =>
  c.country === 'MX' ? c.tax_id : `XEXX010101000-${ALPHA3[c.country]}-${c.tax_id.replace(/[\s.-]/g, '').toUpperCase()}`;

beforeAll(async () => {
  csv = await loadAndBuild('canonical');
  cfdi = await loadAndBuild('cfdi');
  writtenOff = (await csv.all<{ invoice_id: string }>(`select distinct invoice_id from raw_payments where method = 'write_off'`)).map((r) => r.invoice_id);
  const customers = await csv.all<{ customer_id: string; country: string; tax_id: string }>(`select customer_id, country, tax_id from raw_customers`);
  keyOf = new Map(customers.map((c) => [c.customer_id, cfdiKey(c)]));
  abroad = customers.filter((c) => c.country !== 'MX');
  await cfdi.run(`attach '${join(dir, 'canonical', 'w.duckdb')}' as csv (read_only)`);
}, 240_000);

describe('the demo loaded from its CFDIs', () => {
  it('loads every document and complement without a reject', async () => {
    expect(await cfdi.scalar(`select count(*) from raw_invoices`)).toBe(String(OPTIONS.invoices));
    expect(await cfdi.scalar(`select count(*) from ingest_rejects`)).toBe('0');
    expect(await cfdi.scalar(`select count(distinct customer_id) from raw_invoices`)).toBe(String(OPTIONS.customers));
  });

  it('owes the same as the CSV dialect: per customer, currency and bucket, write-offs aside', async () => {
    expect(writtenOff.length).toBeGreaterThan(0);
    const fromCsv = await openBalances(csv, writtenOff, (id) => keyOf.get(id)!);
    const fromCfdi = await openBalances(cfdi, writtenOff.map((id) => stampUuid(OPTIONS.seed, id)), (id) => id);
    expect(fromCsv.length).toBeGreaterThan(5);
    expect(new Set(fromCsv.map((r) => r.currency)).size).toBeGreaterThan(1);
    expect(fromCfdi).toEqual(fromCsv);
  });

  it('keeps the customers abroad apart, though every one is invoiced under the generic RFC', async () => {
    expect(abroad.length).toBeGreaterThan(1);
    expect(new Set(abroad.map((c) => c.country)).size).toBeGreaterThan(1);
    const foreign = await cfdi.all<{ customer_id: string; name: string }>(
      `select customer_id, name from dim_customers where customer_id like 'XEXX010101000%' order by customer_id`,
    );
    // One customer each, under its own key and name: none merged into another or into the bare generic RFC.
    expect(foreign.map((c) => c.customer_id)).toEqual(abroad.map(cfdiKey).sort());
    expect(new Set(foreign.map((c) => c.name)).size).toBe(abroad.length);
    expect(await cfdi.scalar(`select count(distinct customer_id) from fct_invoices where customer_id like 'XEXX010101000%'`)).toBe(String(abroad.length));
  });

  it('states each invoice’s due date exactly, from CondicionesDePago', async () => {
    const [r] = await cfdi.all<{ matched: number; differ: number }>(
      `select count(*)::int as matched,
              count(*) filter (where f.due_date <> c.due_date or f.invoice_date <> c.invoice_date or f.amount <> c.amount)::int as differ
         from raw_invoices f join csv.raw_invoices c on f.reference = replace(c.invoice_id, '-', '')
        where c.document_type <> 'credit_note'`,
    );
    expect(r).toEqual({ matched: Number(await csv.scalar(`select count(*) from raw_invoices where document_type <> 'credit_note'`)), differ: 0 });
  });

  it('states in each invoice’s last complement the balance the CSV ledger leaves, instalments numbered 1..n', async () => {
    const [r] = await cfdi.all<{ matched: number; differ: number }>(
      `with lines as (
         select invoice_id, json_extract_string(extra, '$.ImpSaldoInsoluto')::decimal(18, 2) as saldo,
                json_extract_string(extra, '$.NumParcialidad')::int as parcialidad, count(*) over (partition by invoice_id) as payments
           from raw_payments),
       last as (select * from lines where parcialidad = payments)
       select count(*)::int as matched, count(*) filter (where l.saldo <> c.outstanding)::int as differ
         from last l join raw_invoices i using (invoice_id) join csv.fct_invoices c on i.reference = replace(c.invoice_id, '-', '')
        where c.invoice_id not in (select unnest(from_json($1::json, '["VARCHAR"]')))`,
      [JSON.stringify(writtenOff)],
    );
    expect(r.matched).toBeGreaterThan(50);
    expect(r.differ).toBe(0);
    const paid = await cfdi.scalar(`select count(distinct invoice_id) from raw_payments where invoice_id not in (select unnest(from_json($1::json, '["VARCHAR"]')))`, [
      JSON.stringify(writtenOff.map((id) => stampUuid(OPTIONS.seed, id))),
    ]);
    expect(paid).toBe(String(r.matched));
  });
});
