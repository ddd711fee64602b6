/**
 * How text values of an export become typed values: the formats we recognise, how we pick one
 * from a column's values, and the SQL expression that converts the text.
 *
 * Detection looks at a sample first to shortlist candidates; where the sample leaves day-first
 * and month-first both possible, the caller counts failures over all values (see detect-formats.ts).
 * Numbers have a module of their own (numbers.ts).
 */
import type { FieldType } from '../canonical/entities.ts';
import { MONEY, RATE, numberExpr, type NumberStyle } from './numbers.ts';
import { ident, lit } from './sql-text.ts';

export { ident, lit };

/** Date layouts tried in order; `excel` is a serial day number (1900 date system). */
export const DATE_FORMATS = [
  'iso',
  '%Y/%m/%d',
  '%d/%m/%Y',
  '%m/%d/%Y',
  '%d-%m-%Y',
  '%m-%d-%Y',
  '%d.%m.%Y',
  '%d/%m/%y',
  '%m/%d/%y',
  '%d-%m-%y',
  '%d-%b-%y',
  '%d-%b-%Y',
  '%d %b %Y',
  '%d/%b/%Y',
  '%b %d, %Y',
  '%d/%m/%Y %H:%M',
  '%d/%m/%Y %H:%M:%S',
  '%m/%d/%Y %H:%M',
  '%m/%d/%Y %H:%M:%S',
  '%d-%m-%Y %H:%M',
  '%d-%m-%Y %H:%M:%S',
  '%m/%d/%Y %I:%M:%S %p',
  '%Y%m%d',
  'excel',
] as const;

/** Spanish month abbreviations (and full names) mapped to the English ones strptime knows. */
const SPANISH_MONTHS: [string, string][] = [
  ['enero', 'jan'], ['febrero', 'feb'], ['marzo', 'mar'], ['abril', 'apr'], ['mayo', 'may'], ['junio', 'jun'],
  ['julio', 'jul'], ['agosto', 'aug'], ['septiembre', 'sep'], ['setiembre', 'sep'], ['octubre', 'oct'],
  ['noviembre', 'nov'], ['diciembre', 'dec'], ['ene', 'jan'], ['abr', 'apr'], ['ago', 'aug'], ['sept', 'sep'],
  ['set', 'sep'], ['dic', 'dec'],
];

const SPANISH_MONTH_RE = `\\b(${SPANISH_MONTHS.map(([es]) => es).join('|')})\\b`;

function monthNamesToEnglish(expr: string): string {
  let e = `lower(${expr})`;
  for (const [es, en] of SPANISH_MONTHS) e = `regexp_replace(${e}, '\\b${es}\\b', '${en}')`;
  // The replacement chain is costly: only Spanish month names pay for it.
  return `case when regexp_matches(lower(${expr}), '${SPANISH_MONTH_RE}') then ${e} else ${expr} end`;
}

/** The dates a load accepts: outside them a value is a typo (a year 20245) rather than a date. */
export interface DateRange {
  min: string;
  max: string;
}

/** 1900-01-01 to 50 years after `today` (a 29 February becomes the 28th). */
export function defaultDateRange(today = new Date()): DateRange {
  const m = today.getUTCMonth() + 1;
  const d = m === 2 ? Math.min(today.getUTCDate(), 28) : today.getUTCDate();
  return { min: '1900-01-01', max: `${today.getUTCFullYear() + 50}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

/** SQL: whether DATE `d` falls outside `range` (NULL when `d` is). */
export const outsideRange = (d: string, range: DateRange) => `(${d} not between date ${lit(range.min)} and date ${lit(range.max)})`;

/** SQL turning text `v` into a DATE with the given layout; NULL where it does not parse. */
export function dateExpr(v: string, format: string): string {
  const t = `nullif(trim(${v}), '')`;
  // DuckDB's own cast already ignores surrounding spaces and gives NULL for '': no trim on the fast path.
  if (format === 'iso') return `coalesce(try_cast(${v} as date), try_cast(try_cast(${t} as timestamp) as date))`;
  if (format === 'excel')
    return `case when regexp_full_match(${t}, '\\d{4,5}(\\.\\d+)?') and try_cast(${t} as double) between 1 and 2958465 then date '1899-12-30' + cast(floor(try_cast(${t} as double)) as integer) end`;
  const src = format.includes('%b') ? monthNamesToEnglish(t) : t;
  return `try_cast(try_strptime(${src}, ${lit(format)}) as date)`;
}

/** Which day-first/month-first formats compete with each other. */
export function isDayMonthAmbiguousPair(a: string, b: string): boolean {
  const swap = (f: string) => f.replace('%d', '%X').replace('%m', '%d').replace('%X', '%m');
  return a !== b && swap(a) === b;
}

const TRUE_WORDS = ['true', 't', 'yes', 'y', 'si', 'sí', 's', '1', 'x', 'verdadero', 'v', 'disputed', 'disputada', 'en disputa'];
const FALSE_WORDS = ['false', 'f', 'no', 'n', '0', 'falso', '-'];

// Word lists are matched with CASE, never `IN (...)`: DuckDB plans a long IN list of constants as a
// join, and a join in the insert's plan loses the file's row order, which numbering lines relies on.

/** SQL for Yes/No, Sí/No, true/false, 1/0 flags; unknown words give NULL (and a reject upstream). */
export function boolExpr(v: string): string {
  const t = `lower(trim(${v}))`;
  // Exports mostly write one spelling: the exact canonical words skip the string work.
  const words = [...TRUE_WORDS.map((w) => `when ${lit(w)} then true`), ...FALSE_WORDS.map((w) => `when ${lit(w)} then false`)].join(' ');
  return `case ${v} when 'true' then true when 'false' then false else case ${t} ${words} end end`;
}

/** Currency aliases that Latin American ERPs write instead of ISO codes. */
const CURRENCY_ALIASES: [string, string][] = [
  ['MN', 'MXN'], ['M.N.', 'MXN'], ['MXP', 'MXN'], ['PESOS', 'MXN'], ['PESO MEXICANO', 'MXN'],
  ['US$', 'USD'], ['USD$', 'USD'], ['DLS', 'USD'], ['DOLARES', 'USD'], ['DÓLARES', 'USD'], ['DOLAR', 'USD'], ['U$S', 'USD'],
  ['€', 'EUR'], ['EUROS', 'EUR'], ['EURO', 'EUR'],
];

/** ISO 4217 codes in circulation (what `currency` must be after aliases). */
export const ISO_CURRENCIES = (
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLF CLP CNY ' +
  'COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD ' +
  'IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK ' +
  'MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS ' +
  'SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ' +
  'ZWL UYI COU BOV CLF MXV USN XXX'
).split(' ');

/** SQL normalising a currency code; NULL for empty; unknown codes pass through (validation rejects them). */
export function currencyExpr(v: string): string {
  const t = `upper(trim(${v}))`;
  const cases = CURRENCY_ALIASES.map(([a, iso]) => `when ${lit(a)} then ${lit(iso)}`).join(' ');
  return `case when regexp_full_match(${v}, '[A-Z]{3}') then ${v} else case ${t} when '' then null ${cases} else ${t} end end`;
}

/** Accepted document types and the words ERPs use for them. */
const DOC_TYPE_WORDS: Record<string, string[]> = {
  invoice: ['invoice', 'factura', 'fa', 'fac', 'fv', 'inv', 'out_invoice', 'sales invoice', 'i', 'ingreso', 'bill', 'fc'],
  credit_note: ['credit_note', 'credit note', 'creditnote', 'nota de credito', 'nota de crédito', 'nota credito', 'nc', 'cn', 'out_refund', 'credit memo', 'credit', 'e', 'egreso', 'abono', 'devolucion', 'devolución'],
  debit_note: ['debit_note', 'debit note', 'debitnote', 'nota de cargo', 'nota de debito', 'nota de débito', 'nd', 'dn', 'debit memo', 'cargo'],
};

/** SQL mapping a document type word onto invoice | credit_note | debit_note; empty means invoice; unknown gives NULL. */
export function documentTypeExpr(v: string): string {
  const t = `lower(trim(${v}))`;
  const whens = Object.entries(DOC_TYPE_WORDS)
    .flatMap(([type, words]) => words.map((w) => `when ${lit(w)} then ${lit(type)}`))
    .join(' ');
  return `case ${v} when 'invoice' then 'invoice' when 'credit_note' then 'credit_note' when 'debit_note' then 'debit_note' else case coalesce(${t}, '') when '' then 'invoice' ${whens} end end`;
}

/** Integer columns (terms, days): accepts "30", "30.0", "30 días". */
export function integerExpr(v: string): string {
  const t = `trim(${v})`;
  return `try_cast(try_cast(nullif(regexp_replace(${t}, '\\s*(d[ií]as?|days?|d)\\.?$', '', 'i'), '') as double) as integer)`;
}

/** Text without surrounding spaces, NULL when empty; values already clean skip the copy trim() makes. */
function trimmedText(v: string): string {
  return `case when ${v} = '' or ${v} like ' %' or ${v} like '% ' or ${v} like '%\t' or ${v} like '\t%' then nullif(trim(${v}), '') else ${v} end`;
}

/** SQL converting text `v` to the canonical type of a field, given its detected format. */
export function convertExpr(v: string, type: FieldType, fmt: ColumnFormat | undefined, field: string): string {
  switch (type) {
    case 'id':
      return trimmedText(v);
    case 'text':
      return field === 'document_type' ? documentTypeExpr(v) : field === 'status' ? `nullif(lower(trim(${v})), '')` : trimmedText(v);
    case 'date':
      return dateExpr(v, fmt?.date ?? 'iso');
    case 'timestamp':
      return `try_cast(${v} as timestamp)`;
    case 'money':
      return numberExpr(v, fmt?.number ?? 'dot', MONEY);
    case 'rate':
      return numberExpr(v, fmt?.number ?? 'dot', RATE);
    case 'integer':
      return integerExpr(v);
    case 'bool':
      return boolExpr(v);
    case 'currency':
      return currencyExpr(v);
  }
}

export type { NumberStyle };

/** The detected (or profile-given) format of one source column. */
export interface ColumnFormat {
  date?: string;
  number?: NumberStyle;
}
