import { resolve } from 'node:path';
import { UserError, type Command } from '../cli/command.ts';
import { stdout } from '../cli/output.ts';
import { parseIsoDay } from '../generate/days.ts';
import { DIALECTS, type Dialect } from '../generate/export-set.ts';
import { GENERATE_DEFAULTS, generateExports } from '../generate/generate.ts';

const D = GENERATE_DEFAULTS;

export const generateCommand: Command = {
  name: 'generate',
  options: {
    out: { type: 'string', description: 'folder to write the exports into (required)', placeholder: 'DIR' },
    customers: { type: 'string', default: String(D.customers), description: 'number of customers', placeholder: 'N' },
    invoices: { type: 'string', default: String(D.invoices), description: 'documents in the invoice files, exactly', placeholder: 'N' },
    seed: { type: 'string', default: String(D.seed), description: 'random seed: same arguments, same bytes', placeholder: 'S' },
    end: { type: 'string', default: D.end, description: 'last day of the history', placeholder: 'YYYY-MM-DD' },
    years: { type: 'string', default: String(D.years), description: 'years of history before --end', placeholder: 'N' },
    dialects: { type: 'string', default: D.dialect, description: 'all (each file as its ERP writes it) | canonical (CSV only) | cfdi (CFDI 4.0 XML)', placeholder: 'D' },
  },
  details: `Files (--dialects all): clientes.xlsx, invoices.csv + payments.csv (non-MXN, canonical CSV),
facturas_mx.csv + pagos_mx.csv (MXN, windows-1252, ';', decimal comma, DD/MM/YYYY), disputes.csv,
promises_to_pay.ndjson, collection_activities.json, fx_rates.parquet, README.txt.
--dialects canonical writes every entity as canonical CSV instead (customers.csv, fx_rates.csv, ...).
--dialects cfdi writes invoices (Ingreso), credit notes (Egreso) and payment complements (Pago, Pagos 2.0)
as stamped-looking CFDI 4.0 XML in cfdi/ingreso, cfdi/egreso, cfdi/pago, plus fx_rates.csv.
Example: cartera generate --out data/demo --customers 150 --invoices 6000 --seed 1`,
  async run(opts) {
    if (typeof opts.out !== 'string' || opts.out === '') throw new UserError('generate: --out DIR is required', 2);
    const dialect = String(opts.dialects) as Dialect;
    if (!DIALECTS.includes(dialect)) throw new UserError(`generate: --dialects must be one of ${DIALECTS.join(', ')}`, 2);
    const end = String(opts.end);
    try {
      parseIsoDay(end);
    } catch (e) {
      throw new UserError(`generate: --end: ${(e as Error).message}`, 2);
    }
    const options = {
      out: resolve(opts.out),
      customers: wholeNumber('customers', opts.customers, 1, 10_000_000),
      invoices: wholeNumber('invoices', opts.invoices, 0, 1_000_000_000),
      seed: wholeNumber('seed', opts.seed, 0, 2 ** 32 - 1),
      end,
      years: wholeNumber('years', opts.years, 1, 30),
      dialect,
    };
    const started = Date.now();
    const written = await generateExports(options);
    for (const w of written) {
      stdout.write(`wrote ${w.file.padEnd(28)} ${String(w.rows).padStart(10)} rows ${(w.bytes / 1e6).toFixed(1).padStart(8)} MB\n`);
    }
    stdout.write(`generate: ${options.invoices} documents for ${options.customers} customers in ${options.out} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  },
};

function wholeNumber(flag: string, value: unknown, min: number, max: number): number {
  const text = String(value);
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UserError(`generate: --${flag} must be a whole number from ${min} to ${max}`, 2);
  return n;
}
