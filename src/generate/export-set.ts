import { join } from 'node:path';
import { BufferedFile } from './buffered-file.ts';
import {
  HEADERS,
  activityCsv,
  activityJson,
  customerCsv,
  disputeCsv,
  fxCsv,
  invoiceCsv,
  paymentCsv,
  promiseCsv,
  promiseJson,
} from './canonical-rows.ts';
import { writeClientesXlsx } from './clientes-xlsx.ts';
import type { Customer } from './customers.ts';
import { dateOf, type DayFormats } from './days.ts';
import { writeFxParquet } from './fx-parquet.ts';
import type { FxRate } from './fx-rates.ts';
import type { Ledger } from './ledger-types.ts';
import { HEADERS_ES, facturaLine, pagoLine } from './spanish-rows.ts';

/**
 * `all`: each entity in the format an ERP of the region would export; `canonical`: CSV only
 * (benchmarks); `cfdi`: invoices, credit notes and payments as CFDI 4.0 XML (src/generate/cfdi).
 */
export type Dialect = 'all' | 'canonical' | 'cfdi';
export const DIALECTS: readonly Dialect[] = ['all', 'canonical', 'cfdi'];

/** What was written: file name, data rows, bytes. */
export interface FileSummary {
  file: string;
  rows: number;
  bytes: number;
}

/**
 * The files of one export folder, open for streaming: ledgers are written customer by customer
 * as they are generated, and nothing but the current customer is held in memory.
 */
export class ExportSet {
  private readonly invoices: BufferedFile;
  private readonly facturas?: BufferedFile;
  private readonly payments: BufferedFile;
  private readonly pagos?: BufferedFile;
  private readonly disputes: BufferedFile;
  private readonly promises: BufferedFile;
  private readonly activities: BufferedFile;
  private readonly customers?: BufferedFile;

  constructor(private readonly dir: string, private readonly dialect: Exclude<Dialect, 'cfdi'>, private readonly days: DayFormats) {
    const csv = (name: string, header: string) => {
      const f = new BufferedFile(join(dir, name));
      f.write(header + '\n');
      return f;
    };
    this.invoices = csv('invoices.csv', HEADERS.invoices);
    this.payments = csv('payments.csv', HEADERS.payments);
    this.disputes = csv('disputes.csv', HEADERS.disputes);
    if (dialect === 'all') {
      this.facturas = new BufferedFile(join(dir, 'facturas_mx.csv'), 'win1252');
      this.facturas.write(HEADERS_ES.facturas + '\r\n');
      this.pagos = new BufferedFile(join(dir, 'pagos_mx.csv'), 'win1252');
      this.pagos.write(HEADERS_ES.pagos + '\r\n');
      this.promises = new BufferedFile(join(dir, 'promises_to_pay.ndjson'));
      this.activities = new BufferedFile(join(dir, 'collection_activities.json'));
      this.activities.write('[');
    } else {
      this.customers = csv('customers.csv', HEADERS.customers);
      this.promises = csv('promises_to_pay.csv', HEADERS.promises);
      this.activities = csv('collection_activities.csv', HEADERS.activities);
    }
  }

  /** Writes one customer's ledger to every file it touches. */
  add(c: Customer, ledger: Ledger): void {
    const days = this.days;
    if (this.customers) this.customers.row(customerCsv(c, days));
    for (const d of ledger.documents) {
      if (this.facturas && d.currency === 'MXN') this.facturas.row(facturaLine(c.id, d, days));
      else this.invoices.row(invoiceCsv(c.id, d, days));
    }
    for (const p of ledger.payments) {
      if (this.pagos && p.currency === 'MXN') this.pagos.row(pagoLine(c.id, p, days));
      else this.payments.row(paymentCsv(c.id, p, days));
    }
    for (const d of ledger.disputes) this.disputes.row(disputeCsv(c.id, d, days));
    const json = this.dialect === 'all';
    for (const p of ledger.promises) this.promises.row(json ? promiseJson(c, p, days) : promiseCsv(c, p, days));
    for (const a of ledger.activities) {
      if (json) this.activities.row((this.activities.rows === 0 ? '\n' : ',\n') + activityJson(c, a, days));
      else this.activities.row(activityCsv(c, a, days));
    }
  }

  /** Writes the customer master and FX rates, closes every file and says what was written. */
  async finish(customers: Customer[], rates: FxRate[], asOfDay: number): Promise<FileSummary[]> {
    const out: FileSummary[] = [];
    const close = (f: BufferedFile | undefined) => {
      if (f) out.push({ file: f.path.slice(this.dir.length + 1), rows: f.rows, bytes: f.close() });
    };
    if (this.dialect === 'all') this.activities.write('\n]\n');
    const fxText = HEADERS.fx + '\n' + rates.map((r) => fxCsv(r, this.days)).join('');
    if (this.dialect === 'all') {
      const bytes = await writeClientesXlsx(join(this.dir, 'clientes.xlsx'), customers, dateOf(asOfDay));
      out.push({ file: 'clientes.xlsx', rows: customers.length, bytes });
    }
    for (const f of [this.customers, this.invoices, this.facturas, this.payments, this.pagos, this.disputes, this.promises, this.activities]) close(f);
    if (this.dialect === 'all') {
      out.push({ file: 'fx_rates.parquet', rows: rates.length, bytes: await writeFxParquet(join(this.dir, 'fx_rates.parquet'), fxText) });
    } else {
      const fx = new BufferedFile(join(this.dir, 'fx_rates.csv'));
      fx.write(fxText);
      fx.rows = rates.length;
      close(fx);
    }
    return out;
  }
}
