/**
 * A hand-made month for the reminder tests: eight customers in four countries, built by the real
 * pipeline (CSV exports ingested and built by runRefresh, as `cartera refresh` does) as of
 * 2026-02-28, and the exports of mid-March (a payment and three calls) refreshed in as of
 * 2026-03-15 by `midMonth`. One dispute comes from the export and one, with one promise to pay,
 * is recorded in Cartera (the rows POST /api/disputes and /api/promises write).
 *
 * | customer | country, segment        | invoices (due date, amount)                                          | what it shows                       |
 * |----------|-------------------------|----------------------------------------------------------------------|-------------------------------------|
 * | C1       | MX, PyME                | I13 03-03 USD 200; I11, I12, I14 03-10 MXN 1,000 + 500.50, USD 150; I15 paid | two currencies; one a day          |
 * | C2       | CO, Corporativo         | I21 03-08 (a Sunday) COP 2,500,000                                   | closed Sundays; two a week          |
 * | C3       | MX, PyME                | I31 03-05 (disputed in the export), I33 03-12 (dispute recorded), I32 03-18 | disputes; a call uses the day |
 * | C4       | MX, Distribuidor        | I41 03-02 MXN 5,000, promised for 03-20 (recorded)                   | a promise holds the customer        |
 * | C5       | US, Corporativo         | I51 03-09 USD 1,200                                                  | English; New York's DST on 03-08    |
 * | C6       | CL, PyME                | I61 03-12 CLP 450,000 (paid 03-14)                                   | a payment stops them                |
 * | C7       | MX, Gobierno            | I71 03-05 MXN 10,000                                                 | a segment's own cadence             |
 * | C8       | CL, Distribuidor        | I81 02-01 CLP 90,000 in legal; I82 03-10 CLP 120,000                 | an account in legal gets none       |
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureRecordedTables } from '../../src/canonical/recorded-events.ts';
import { withWarehouse } from '../../src/db/warehouse.ts';
import { runRefresh } from '../../src/pipeline/index.ts';

const CUSTOMERS = `customer_id,name,email,phone,country,segment,collector
C1,Aceros del Norte S.A. de C.V.,pagos@acerosnorte.com.mx,+52 55 1234 5678,MX,PyME,ana
C2,Constructora Andina S.A.S.,tesoreria@andina.com.co,+57 601 555 0101,CO,Corporativo,bruno
C3,Servicios Pacífico S.A. de C.V.,cxp@pacifico.com.mx,+52 33 2345 6789,MX,PyME,ana
C4,Distribuidora Bajío S.A. de C.V.,pagos@bajio.com.mx,+52 442 345 6789,MX,Distribuidor,bruno
C5,Los Angeles Tech Inc.,ap@latech.com,+1 213 555 0199,US,Corporativo,carla
C6,Ferretería Maipo SpA,pagos@maipo.cl,+56 2 2345 6789,CL,PyME,bruno
C7,Secretaría de Obras,finanzas@obras.gob.mx,+52 55 5555 0000,MX,Gobierno,ana
C8,Comercial Atacama Ltda.,pagos@atacama.cl,+56 2 2987 6543,CL,Distribuidor,bruno
`;

const INVOICES = `invoice_id,customer_id,invoice_date,due_date,amount,currency,status
I11,C1,2026-02-08,2026-03-10,1000.00,MXN,open
I12,C1,2026-02-08,2026-03-10,500.50,MXN,open
I13,C1,2026-02-01,2026-03-03,200.00,USD,open
I14,C1,2026-02-08,2026-03-10,150.00,USD,open
I15,C1,2026-02-01,2026-03-03,700.00,MXN,open
I21,C2,2026-01-07,2026-03-08,2500000.00,COP,open
I31,C3,2026-02-03,2026-03-05,800.00,MXN,open
I32,C3,2026-02-16,2026-03-18,300.00,MXN,open
I33,C3,2026-02-10,2026-03-12,400.00,MXN,open
I41,C4,2026-01-31,2026-03-02,5000.00,MXN,open
I51,C5,2026-02-07,2026-03-09,1200.00,USD,open
I61,C6,2026-02-10,2026-03-12,450000,CLP,open
I81,C8,2026-01-02,2026-02-01,90000,CLP,legal
I82,C8,2026-02-08,2026-03-10,120000,CLP,open
I71,C7,2026-02-03,2026-03-05,10000.00,MXN,open
`;

// Pesos per unit, from the first invoice on (the models convert to the reporting currency, MXN).
const FX = `rate_date,currency,rate,base_currency
2026-01-01,USD,17.50,MXN
2026-01-01,COP,0.0045,MXN
2026-01-01,CLP,0.019,MXN
`;

const PAYMENTS_FEB = `payment_id,customer_id,invoice_id,payment_date,amount,currency
P15,C1,I15,2026-02-20,700.00,MXN
`;

const DISPUTES = `dispute_id,invoice_id,customer_id,opened_date,reason
D31,I31,C3,2026-02-20,Precio incorrecto
`;

const PAYMENTS_MARCH = `payment_id,customer_id,invoice_id,payment_date,amount,currency
P61,C6,I61,2026-03-14,450000,CLP
`;

const CALLS_MARCH = `activity_id,customer_id,activity_date,channel,outcome
A21,C2,2026-03-10,call,no_answer
A22,C2,2026-03-12,call,callback
A31,C3,2026-03-15,call,no_answer
`;

const WHO = `'ana', 'user:ana', timestamp '2026-02-26 16:00:00'`;

export interface MonthWarehouse {
  dir: string;
  db: string;
  /** Loads the mid-March exports and refreshes as of 2026-03-15. */
  midMonth(): Promise<void>;
  cleanup(): void;
}

/** Builds the month's warehouse in a temp folder. */
export async function monthWarehouse(): Promise<MonthWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'cartera-reminders-'));
  const db = join(dir, 'warehouse.duckdb');
  const feb = join(dir, 'exports-feb');
  mkdirSync(feb);
  writeFileSync(join(feb, 'clientes.csv'), CUSTOMERS);
  writeFileSync(join(feb, 'facturas.csv'), INVOICES);
  writeFileSync(join(feb, 'pagos.csv'), PAYMENTS_FEB);
  writeFileSync(join(feb, 'disputas.csv'), DISPUTES);
  writeFileSync(join(feb, 'tipos-de-cambio.csv'), FX);
  await withWarehouse(db, async (wh) => {
    await ensureRecordedTables(wh);
    await wh.run(`insert into recorded_disputes (dispute_id, invoice_id, customer_id, opened_date, amount, currency, reason, collector, recorded_by, recorded_by_subject, recorded_at)
      values ('DSP-33', 'I33', 'C3', '2026-02-26', 400, 'MXN', 'Mercancía dañada', 'ana', ${WHO})`);
    await wh.run(`insert into recorded_promises (promise_id, customer_id, invoice_id, promise_date, promised_date, amount, currency, collector, recorded_by, recorded_by_subject, recorded_at)
      values ('PRM-41', 'C4', 'I41', '2026-02-25', '2026-03-20', 5000, 'MXN', 'bruno', ${WHO})`);
    await runRefresh(wh, { inbox: [feb], changes: { asOf: '2026-02-28' }, score: 'none', trigger: 'test', dbPath: db });
  }, { create: true });
  return {
    dir,
    db,
    async midMonth() {
      const march = join(dir, 'exports-mar');
      mkdirSync(march);
      writeFileSync(join(march, 'pagos-marzo.csv'), PAYMENTS_MARCH);
      writeFileSync(join(march, 'gestiones-marzo.csv'), CALLS_MARCH);
      await withWarehouse(db, (wh) => runRefresh(wh, { inbox: [march], changes: { asOf: '2026-03-15' }, score: 'none', trigger: 'test', dbPath: db }));
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
