/**
 * How text values of an export become typed values: the formats we recognise, how we pick one
 * from a column's values, and the SQL expression that converts the text.
 *
 * Detection looks at a sample first to shortlist candidates; where the sample leaves day-first
 * and month-first both possible, the caller counts failures over all values (see ingest.ts).
 */
import type { FieldType } from '../canonical/entities.ts';

/** Quotes a SQL identifier. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** Quotes a SQL string literal (only for values we generated or validated, never raw user SQL). */
export const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

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

/** How numbers are written: plain (1234.5), dot decimal with comma thousands, comma decimal with dot/space thousands. */
export type NumberStyle = 'plain' | 'dot' | 'comma';

/**
 * Picks the number style from sample values: explicit evidence such as "1.234,56" or ",5" at the
 * end decides; plain values agree with both; with no evidence either way, `fallback` wins.
 *
 * @example detectNumberStyle(['1.234.567,89', '12,5']) === 'comma'
 */
export function detectNumberStyle(values: string[], fallback: NumberStyle = 'dot'): NumberStyle {
  let comma = 0;
  let dot = 0;
  let plain = 0;
  for (const raw of values) {
    const s = raw.replace(/[^0-9.,]/g, '');
    if (!s) continue;
    if (/^\d+(\.\d+)?$/.test(s) && !/^\d{1,3}\.\d{3}$/.test(s)) plain++;
    if (/,\d{1,2}$/.test(s) || /\.\d{3},/.test(s) || /^\d{1,3}(\.\d{3}){2,}$/.test(s)) comma++;
    if (/\.\d{1,2}$/.test(s) || /,\d{3}\./.test(s) || /^\d{1,3}(,\d{3}){2,}$/.test(s)) dot++;
    if (/^\d+\.\d{4,}$/.test(s)) dot++;
  }
  if (comma > 0 && dot === 0) return 'comma';
  if (dot > 0 && comma === 0) return plain > 0 && values.every((v) => /^\s*-?\d+(\.\d+)?\s*$/.test(v)) ? 'plain' : 'dot';
  if (comma === 0 && dot === 0) return plain > 0 && values.every((v) => /^\s*-?\d+(\.\d+)?\s*$/.test(v)) ? 'plain' : fallback;
  return comma > dot ? 'comma' : 'dot';
}

/**
 * SQL turning text `v` into a number of `sqlType`, accepting currency symbols and codes, spaces,
 * thousands separators, a leading or trailing minus, and accounting parentheses for negatives.
 */
export function numberExpr(v: string, style: NumberStyle, sqlType: string): string {
  const t = `trim(${v})`;
  if (style === 'plain') return `try_cast(${v} as ${sqlType})`;
  const digits = `regexp_replace(${t}, '[^0-9,.]', '', 'g')`;
  const normalised = style === 'comma' ? `replace(replace(${digits}, '.', ''), ',', '.')` : `replace(${digits}, ',', '')`;
  const negative = `(${t} like '(%)' or ${t} like '-%' or ${t} like '%-' or ${t} like '%$-%' or ${t} like '%-$%')`;
  // Around the digits only a currency code (upper case) or symbol may stand: "12x" is not an amount.
  const unit = `(?:[A-Z]{3}|US\\$|R\\$|S/|Bs\\.?|M\\.?N\\.?|[$€£¥])?`;
  const valid = `regexp_full_match(${t}, '\\(?\\s*-?\\s*${unit}\\s*-?\\s*[0-9][0-9.,\\s]*\\s*${unit}\\s*-?\\s*\\)?')`;
  const parsed = `try_cast(nullif(${normalised}, '') as ${sqlType})`;
  const general = `case when ${valid} then (case when ${negative} then -1 else 1 end) * ${parsed} end`;
  // The plain cast is the fast path for exports that write numbers plainly; it is only safe when a dot is the decimal mark.
  return style === 'dot' ? `coalesce(try_cast(${v} as ${sqlType}), ${general})` : general;
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
      return numberExpr(v, fmt?.number ?? 'dot', 'DECIMAL(18,2)');
    case 'rate':
      return numberExpr(v, fmt?.number ?? 'dot', 'DECIMAL(18,8)');
    case 'integer':
      return integerExpr(v);
    case 'bool':
      return boolExpr(v);
    case 'currency':
      return currencyExpr(v);
  }
}

/** The detected (or profile-given) format of one source column. */
export interface ColumnFormat {
  date?: string;
  number?: NumberStyle;
}
