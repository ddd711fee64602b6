/**
 * The `cfdi` dialect: the demo as the CFDI 4.0 files a Mexican company's accounting system keeps,
 * one XML per document in cfdi/ingreso, cfdi/egreso and cfdi/pago, plus the FX rates as canonical
 * CSV (the warehouse reports in one currency). Written customer by customer, like the other dialects.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fxCsv, HEADERS } from '../canonical-rows.ts';
import type { Customer } from '../customers.ts';
import type { DayFormats } from '../days.ts';
import type { FileSummary } from '../export-set.ts';
import type { FxRate } from '../fx-rates.ts';
import type { Ledger } from '../ledger-types.ts';
import { egresoXml, ingresoXml, type DocumentContext } from './documents.ts';
import { CfdiRates } from './exchange.ts';
import { receptorOf, stampUuid } from './identity.ts';
import { pagoXml } from './pago.ts';
import { receiptsOf } from './receipts.ts';

export const CFDI_FOLDERS = ['cfdi/ingreso', 'cfdi/egreso', 'cfdi/pago'] as const;
type Folder = (typeof CFDI_FOLDERS)[number];

export class CfdiSet {
  private readonly rates: CfdiRates;
  private readonly written = new Map<Folder, { rows: number; bytes: number }>();

  constructor(private readonly dir: string, private readonly seed: number, private readonly fx: FxRate[], private readonly days: DayFormats) {
    this.rates = new CfdiRates(fx);
    for (const f of CFDI_FOLDERS) {
      mkdirSync(join(dir, f), { recursive: true });
      this.written.set(f, { rows: 0, bytes: 0 });
    }
  }

  /** Writes one customer's invoices, notes and payment complements. */
  add(c: Customer, ledger: Ledger): void {
    const x: DocumentContext = { receptor: receptorOf(c), days: this.days, rates: this.rates, uuidOf: (id) => stampUuid(this.seed, id) };
    for (const d of ledger.documents) {
      if (d.kind === 'credit_note') this.write('cfdi/egreso', d.id, egresoXml(d, x));
      else this.write('cfdi/ingreso', d.id, ingresoXml(d, x));
    }
    for (const r of receiptsOf(c, ledger)) this.write('cfdi/pago', r.id, pagoXml(r, x));
  }

  private write(folder: Folder, id: string, xml: string): void {
    writeFileSync(join(this.dir, folder, `${id}.xml`), xml);
    const w = this.written.get(folder)!;
    w.rows++;
    w.bytes += Buffer.byteLength(xml);
  }

  /** Writes the FX rates and says what was written: one line per folder, counting files. */
  finish(): FileSummary[] {
    const fxText = HEADERS.fx + '\n' + this.fx.map((r) => fxCsv(r, this.days)).join('');
    writeFileSync(join(this.dir, 'fx_rates.csv'), fxText);
    const out = [...this.written].map(([folder, w]) => ({ file: `${folder}/`, ...w }));
    out.push({ file: 'fx_rates.csv', rows: this.fx.length, bytes: Buffer.byteLength(fxText) });
    return out;
  }
}
