import type { Dialect } from './export-set.ts';

const DESCRIPTIONS: Record<string, string> = {
  'clientes.xlsx': 'customer master as an Excel export, sheet "Clientes", Spanish headers, limits as numbers, real Excel dates',
  'customers.csv': 'customer master: id, name, tax id, country, segment, industry, credit limit, terms, collector, contact, customer since',
  'invoices.csv': 'invoices, credit notes (negative amounts, reference = credited invoice) and debit notes; status as of the end date',
  'facturas_mx.csv': 'MXN invoices and notes as a Mexican ERP exports them: windows-1252, ";" separated, 1.234,56 amounts, DD/MM/YYYY dates',
  'payments.csv': 'payments, one row per invoice a receipt applies to (P-<receipt>-<line>); empty invoice_id = on account; method write_off = write-off',
  'pagos_mx.csv': 'MXN payments as a Mexican ERP exports them: windows-1252, ";" separated, decimal comma; Forma de pago Castigo = write-off',
  'disputes.csv': 'disputes on invoices, opened and resolved dates (empty while open), disputed amount in the invoice currency',
  'promises_to_pay.ndjson': 'promises to pay made to collectors on overdue invoices, one JSON object a line; status kept, broken or open',
  'promises_to_pay.csv': 'promises to pay made to collectors on overdue invoices; status kept, broken or open',
  'collection_activities.json': 'collection activities (call, email, visit, letter) with outcome and collector, as one JSON array',
  'collection_activities.csv': 'collection activities (call, email, visit, letter) with outcome and collector',
  'fx_rates.parquet': 'daily FX rates: USD per 1 unit of MXN, COP, CLP and USD itself (rate DECIMAL(18,8), base_currency USD)',
  'cfdi/ingreso/': 'CFDI 4.0 invoices (Ingreso, PPD, CondicionesDePago = days of credit, IVA 16%) and debit notes (TipoRelacion 02), one XML each',
  'cfdi/egreso/': 'CFDI 4.0 credit notes (Egreso) applied to their invoice (CfdiRelacionados TipoRelacion 01)',
  'cfdi/pago/': 'CFDI 4.0 payment complements (Pagos 2.0), one per receipt, one DoctoRelacionado per invoice paid; no write-offs or cash on account',
  'fx_rates.csv': 'daily FX rates: USD per 1 unit of MXN, COP, CLP and USD itself (base_currency USD)',
};

/** README.txt of an export folder: how it was made, then one line per file. */
export function readmeText(files: string[], dialect: Dialect, args: string): string {
  const lines = [
    `Synthetic ERP exports written by 'cartera generate ${args}' (dialect ${dialect}). Fictitious data, deterministic for these arguments.`,
    '',
    ...files.map((f) => `${f}: ${DESCRIPTIONS[f] ?? ''}`),
  ];
  return lines.join('\n') + '\n';
}
