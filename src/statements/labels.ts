import type { Language } from './locale.ts';

/** Every text a statement shows, in each language statements are written in. */
export interface Labels {
  title: string;
  asOf: (date: string) => string;
  seller: string;
  customer: string;
  customerId: string;
  taxId: string;
  email: string;
  phone: string;
  collector: string;
  terms: string;
  days: (n: string) => string;
  currency: (code: string) => string;
  balance: (date: string) => string;
  overdue: string;
  openItems: string;
  agingSummary: string;
  recent: (days: string, since: string) => string;
  document: string;
  type: string;
  date: string;
  dueDate: string;
  daysPastDue: { due: string; invoice: string };
  aging: string;
  amount: string;
  appliedTo: string;
  total: string;
  noItems: string;
  noMovements: string;
  noActivity: string;
  documentTypes: Record<string, string>;
  movementTypes: Record<'payment' | 'credit_note', string>;
  bucket: (label: string) => string;
  currencyNote: string;
  paymentInstructions: string;
  page: (n: number, of: number) => string;
}

/** '1-30' -> [1, 30]; '120+' -> [120]. */
const bounds = (label: string) => label.replace('+', '').split('-');

const ES: Labels = {
  title: 'Estado de cuenta',
  asOf: (d) => `Al ${d}`,
  seller: 'Emisor',
  customer: 'Cliente',
  customerId: 'No. de cliente',
  taxId: 'Id. fiscal',
  email: 'Correo',
  phone: 'Teléfono',
  collector: 'Gestor de cobranza',
  terms: 'Plazo de pago',
  days: (n) => `${n} días`,
  currency: (c) => `Moneda: ${c}`,
  balance: (d) => `Saldo al ${d}`,
  overdue: 'Vencido',
  openItems: 'Partidas abiertas',
  agingSummary: 'Antigüedad de saldos',
  recent: (n, since) => `Pagos y créditos de los últimos ${n} días (desde el ${since})`,
  document: 'Documento',
  type: 'Tipo',
  date: 'Fecha',
  dueDate: 'Vencimiento',
  daysPastDue: { due: 'Días vencidos', invoice: 'Días desde emisión' },
  aging: 'Antigüedad',
  amount: 'Importe',
  appliedTo: 'Aplicado a',
  total: 'Total',
  noItems: 'Sin partidas abiertas.',
  noMovements: 'Sin pagos ni créditos en el periodo.',
  noActivity: 'Sin saldo abierto ni movimientos recientes.',
  documentTypes: {
    invoice: 'Factura',
    debit_note: 'Nota de cargo',
    credit_note: 'Nota de crédito',
    payment: 'Pago sin aplicar',
    write_off: 'Ajuste',
  },
  movementTypes: { payment: 'Pago', credit_note: 'Nota de crédito' },
  bucket: (l) =>
    l === 'current' ? 'Al corriente' : l === 'unapplied' ? 'Sin aplicar' : l.endsWith('+') ? `> ${bounds(l)[0]} días` : `${bounds(l).join('-')} días`,
  currencyNote: 'Importes en la moneda de cada documento; los importes de monedas distintas no se suman.',
  paymentInstructions: 'Instrucciones de pago',
  page: (n, of) => `Página ${n} de ${of}`,
};

const EN: Labels = {
  title: 'Statement of account',
  asOf: (d) => `As of ${d}`,
  seller: 'From',
  customer: 'Customer',
  customerId: 'Customer no.',
  taxId: 'Tax ID',
  email: 'Email',
  phone: 'Phone',
  collector: 'Collector',
  terms: 'Payment terms',
  days: (n) => `${n} days`,
  currency: (c) => `Currency: ${c}`,
  balance: (d) => `Balance as of ${d}`,
  overdue: 'Past due',
  openItems: 'Open items',
  agingSummary: 'Aging summary',
  recent: (n, since) => `Payments and credits, last ${n} days (since ${since})`,
  document: 'Document',
  type: 'Type',
  date: 'Date',
  dueDate: 'Due date',
  daysPastDue: { due: 'Days past due', invoice: 'Days since issue' },
  aging: 'Aging',
  amount: 'Amount',
  appliedTo: 'Applied to',
  total: 'Total',
  noItems: 'No open items.',
  noMovements: 'No payments or credits in the period.',
  noActivity: 'No open balance and no recent payments or credits.',
  documentTypes: {
    invoice: 'Invoice',
    debit_note: 'Debit note',
    credit_note: 'Credit note',
    payment: 'Unapplied payment',
    write_off: 'Adjustment',
  },
  movementTypes: { payment: 'Payment', credit_note: 'Credit note' },
  bucket: (l) =>
    l === 'current' ? 'Current' : l === 'unapplied' ? 'Unapplied' : l.endsWith('+') ? `> ${bounds(l)[0]} days` : `${bounds(l).join('-')} days`,
  currencyNote: "Amounts in each document's currency; amounts in different currencies are never added together.",
  paymentInstructions: 'Payment instructions',
  page: (n, of) => `Page ${n} of ${of}`,
};

export const LABELS: Record<Language, Labels> = { es: ES, en: EN };
