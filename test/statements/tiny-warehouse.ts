/**
 * The statements' hand-computed case: four customers in small hand-made exports (canonical CSV
 * headers), ingested, built and published by the real pipeline (`runRefresh`) as of 2024-06-30,
 * reporting currency MXN, the default buckets 30,60,90,120 on the due date. The expected figures
 * are worked out by hand in the comments below and in the tests.
 *
 * C1 Ferretería Núñez (collector Ana Ruiz), MXN and USD:
 *   F-100 MXN 10,000.00 due 2024-03-31, paid 4,000.00 on 04-15 (P-1)     -> 6,000.00 open
 *   F-101 MXN  5,000.00 due 2024-06-09, paid 1,500.50 on 06-20 (P-2)     -> 3,499.50 open
 *   F-102 MXN  2,345.67 due 2024-07-15                                    -> 2,345.67 open
 *   F-103 MXN  1,000.00 due 2024-02-09, paid 600 on 02-20 and 400 on 04-01 -> closed
 *   NC-1  MXN   -500.00 credit note of 2024-06-05 naming no invoice       -> -500.00 unapplied
 *   F-200 USD  1,200.00 due 2024-05-01, paid 200.00 on 05-20 (P-4)        -> 1,000.00 open
 * C2 Acme Corp (Bruno Díaz): F-300 USD 3,000.00 due 2024-07-01, open and current.
 * C3 Café Andino (Ana Ruiz): F-400 MXN 8,000.00 paid in full on 2024-05-10: nothing open.
 * C4 Distribuidora Sol (Bruno Díaz): F-500 MXN 7,500.00 due 2024-02-14, open.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '../../src/db/warehouse.ts';
import { runRefresh } from '../../src/pipeline/index.ts';

export const AS_OF = '2024-06-30';

const CUSTOMERS = `customer_id,name,tax_id,country,segment,collector,email,phone,payment_terms_days
C1,"Ferretería Núñez, S.A. de C.V.",FNU010101AB1,MX,pyme,Ana Ruiz,pagos@ferreteria-nunez.example,+52 55 1234 5678,30
C2,Acme Corp,12-3456789,US,corporate,Bruno Díaz,ap@acme.example,+1 555 0100,30
C3,Café Andino SAS,900123456-7,CO,pyme,Ana Ruiz,tesoreria@cafeandino.example,+57 1 555 0101,30
C4,Distribuidora Sol,SOL020202XY2,MX,pyme,Bruno Díaz,cxp@sol.example,+52 33 5555 0102,30
`;

const INVOICES = `invoice_id,customer_id,invoice_date,due_date,amount,currency,document_type
F-100,C1,2024-03-01,2024-03-31,10000.00,MXN,invoice
F-101,C1,2024-05-10,2024-06-09,5000.00,MXN,invoice
F-102,C1,2024-06-15,2024-07-15,2345.67,MXN,invoice
F-103,C1,2024-01-10,2024-02-09,1000.00,MXN,invoice
NC-1,C1,2024-06-05,2024-06-05,-500.00,MXN,credit_note
F-200,C1,2024-04-01,2024-05-01,1200.00,USD,invoice
F-300,C2,2024-06-01,2024-07-01,3000.00,USD,invoice
F-400,C3,2024-04-01,2024-05-01,8000.00,MXN,invoice
F-500,C4,2024-01-15,2024-02-14,7500.00,MXN,invoice
`;

const PAYMENTS = `payment_id,customer_id,invoice_id,payment_date,amount,currency,method
P-1,C1,F-100,2024-04-15,4000.00,MXN,transfer
P-2,C1,F-101,2024-06-20,1500.50,MXN,transfer
P-3,C1,F-103,2024-02-20,600.00,MXN,check
P-3b,C1,F-103,2024-04-01,400.00,MXN,check
P-4,C1,F-200,2024-05-20,200.00,USD,transfer
P-5,C3,F-400,2024-05-10,8000.00,MXN,transfer
`;

const FX_RATES = `rate_date,currency,rate,base_currency
2024-01-01,USD,17.00,MXN
`;

/** The demo company file statements of this warehouse carry, beside it as `company.yaml`. */
export const COMPANY_YAML = `name: Comercializadora Ejemplo, S.A. de C.V.
tax_id: CEJ990101AB1
address:
  - Av. Paseo de la Reforma 123, piso 4
  - Col. Juárez, 06600 Ciudad de México
email: cobranza@ejemplo.example
phone: +52 55 5555 0100
payment_instructions:
  es: Transferencia a BBVA, CLABE 012180001234567891, referencia = número de cliente.
  en: Wire to BBVA, CLABE 012180001234567891, reference = customer number.
`;

/** A fresh warehouse of the case above in its own temp folder, with `company.yaml` beside it. */
export async function statementsWarehouse(): Promise<{ dir: string; db: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'cartera-statements-'));
  const exports = join(dir, 'exports');
  mkdirSync(exports);
  writeFileSync(join(exports, 'customers.csv'), CUSTOMERS);
  writeFileSync(join(exports, 'invoices.csv'), INVOICES);
  writeFileSync(join(exports, 'payments.csv'), PAYMENTS);
  writeFileSync(join(exports, 'fx_rates.csv'), FX_RATES);
  writeFileSync(join(dir, 'company.yaml'), COMPANY_YAML);
  const db = join(dir, 'warehouse.duckdb');
  const wh = await Warehouse.open(db);
  try {
    await runRefresh(wh, { inbox: [exports], ingest: { strict: true }, changes: { asOf: AS_OF, currency: 'MXN' }, score: 'none', trigger: 'test' });
    await wh.run('checkpoint');
  } finally {
    wh.close();
  }
  return { dir, db, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
