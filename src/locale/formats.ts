/**
 * The one formatter of every surface: dashboards (this file is also served to the browser as
 * /assets/formats.js), charts drawn on the server, notebooks, exports, reason texts, statements
 * and PDFs. Built on Intl alone, so it has no imports and runs unchanged in Node and the page.
 */

/** The locales Cartera formats numbers and dates in; the first is the default. */
export const LOCALES = ['es-MX', 'es-CO', 'es-CL', 'es-AR', 'es-PE', 'es-ES', 'pt-BR', 'en-US'] as const;
export type Locale = (typeof LOCALES)[number];

/** The languages labels and messages are written in. */
export type Lang = 'es' | 'en';

const BY_LANGUAGE: Record<string, Locale> = { es: 'es-MX', en: 'en-US', pt: 'pt-BR' };

/**
 * The language of a locale's words: English for English locales, Spanish for the rest (Portuguese
 * pages keep Brazilian numbers and dates with Spanish words, the nearer of the two languages).
 */
export function languageOf(tag: string): Lang {
  return tag.toLowerCase().startsWith('en') ? 'en' : 'es';
}

/**
 * The supported locale for what a user asked for, first match wins: an exact tag (any case), else
 * the language's default (es → es-MX, en → en-US, pt → pt-BR); undefined when nothing matches.
 *
 * @example pickLocale(['es-co']) // -> 'es-CO'
 * @example pickLocale(['es-VE', 'en']) // -> 'es-MX'
 */
export function pickLocale(wanted: readonly (string | null | undefined)[]): Locale | undefined {
  for (const w of wanted) {
    if (!w) continue;
    const exact = LOCALES.find((l) => l.toLowerCase() === w.toLowerCase().replace('_', '-'));
    if (exact) return exact;
    const byLang = BY_LANGUAGE[w.toLowerCase().split(/[-_]/)[0]];
    if (byLang) return byLang;
  }
  return undefined;
}

/** ISO 4217 currencies without a minor unit: the list staging rounds amounts to whole units by. */
const WHOLE_UNITS = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);

/**
 * Decimals of a currency's amounts: the minor unit the models round to. Locale data may show fewer
 * (es-CO writes COP without cents), which would hide cents a balance has.
 */
export const minorDigits = (currency: string): number => (WHOLE_UNITS.has(currency) ? 0 : 2);

/**
 * Currencies with cents in ISO 4217 that their users write in whole pesos (COP): an amount shows
 * its cents only when it has some, so none is ever hidden.
 */
const WRITTEN_WHOLE = new Set(['COP']);

const hasCents = (amount: string | number) => /\.\d*[1-9]/.test(typeof amount === 'number' ? amount.toFixed(2) : amount);

/** Decimals an amount is shown with. */
export const shownDigits = (amount: string | number, currency: string): number =>
  WRITTEN_WHOLE.has(currency) && !hasCents(amount) ? 0 : minorDigits(currency);

/** Units large amounts are written in, per language: thousands, millions, thousands of millions. */
const UNITS: Record<Lang, [number, string][]> = {
  es: [
    [1e9, 'mil M'],
    [1e6, 'M'],
    [1e3, 'mil'],
  ],
  en: [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ],
};

/** What a percentage-point change is called. */
const POINTS: Record<Lang, string> = { es: 'p. p.', en: 'pp' };

export interface Formats {
  tag: string;
  lang: Lang;
  /** An amount with its currency, exact: a DECIMAL's text is formatted digit for digit. */
  money(amount: string | number, currency: string): string;
  /** An amount with its currency's code, not a symbol: for lists that hold several currencies ('$' is the peso and the dollar). */
  moneyCode(amount: string | number, currency: string): string;
  /** An amount in its currency's decimals, without the currency: for a table that names its one currency once. */
  amount(amount: string | number, currency: string): string;
  /** An amount in the units a reader knows (1,2 M MXN / MX$1.2M). */
  moneyShort(amount: number, currency: string): string;
  /** A number in units without a currency (axes): 800 mil, 1,2 M, 3 mil M; 800k, 1.2M, 3B. */
  units(n: number): string;
  /** A percentage given in percent (12.5 → 12,5 %). */
  pct(n: number, signed?: boolean): string;
  /** A change of a percentage, in percentage points (+1,2 p. p.). */
  points(n: number): string;
  days(n: number, signed?: boolean): string;
  /** A whole number; '' for none. */
  integer(n: number | null): string;
  number(n: number, digits?: number): string;
  /** A DECIMAL (or integer) as its text gives it, digit for digit, with exactly `scale` decimals: an analyst's result. */
  decimal(text: string | number, scale: number): string;
  date(iso: string | null | undefined): string;
  month(iso: string): string;
  /**
   * A moment kept as a UTC TIMESTAMP ('2026-12-07 12:38:04.349') in `timeZone` (default: the reader's, the
   * browser's own) as that day's date, a 24-hour time and the zone's name: '7/12/2026 07:38 COT'.
   * Text that is not such a timestamp is returned as it is.
   */
  instant(utc: string, timeZone?: string): string;
}

const asDate = (iso: string) => new Date(`${iso.slice(0, 10)}T00:00:00Z`);

/**
 * The formats of a locale tag.
 *
 * @example formatsFor('es-CO').money('1234567.50', 'COP') // -> '$ 1.234.567,50'
 * @example formatsFor('es-MX').units(1_250_000) // -> '1.25 M'
 */
export function formatsFor(tag: string): Formats {
  let f = FORMATS.get(tag);
  if (!f) FORMATS.set(tag, (f = makeFormats(tag)));
  return f;
}

// Intl formatters are costly to build and free to reuse: one set per locale, one per option set.
const FORMATS = new Map<string, Formats>();

function makeFormats(tag: string): Formats {
  const lang = languageOf(tag);
  const money = new Map<string, Intl.NumberFormat>();
  const moneyFormat = (currency: string, digits = minorDigits(currency), display: 'symbol' | 'code' = 'symbol') => {
    const key = `${currency}:${digits}:${display}`;
    let f = money.get(key);
    if (!f) {
      f = new Intl.NumberFormat(tag, { style: 'currency', currency, currencyDisplay: display, minimumFractionDigits: digits, maximumFractionDigits: digits });
      money.set(key, f);
    }
    return f;
  };
  const numbers = new Map<string, Intl.NumberFormat>();
  /** At most `digits` decimals, at least `least`. */
  const num = (digits: number, signed = false, style: 'decimal' | 'percent' = 'decimal', least = 0) => {
    const key = `${digits}:${least}:${signed}:${style}`;
    let f = numbers.get(key);
    if (!f) numbers.set(key, (f = new Intl.NumberFormat(tag, { style, minimumFractionDigits: least, maximumFractionDigits: digits, signDisplay: signed ? 'exceptZero' : 'auto' })));
    return f;
  };
  /** Exactly `scale` decimals. */
  const fixed = (scale: number) => num(scale, false, 'decimal', scale);
  const short = num(2);
  const units = (n: number) => {
    const unit = UNITS[lang].find(([size]) => Math.abs(n) >= size);
    return unit ? `${short.format(Number((n / unit[0]).toPrecision(3)))} ${unit[1]}` : num(0).format(n);
  };
  const dates = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' });
  const months = new Intl.DateTimeFormat(tag, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const clocks = new Map<string, Intl.DateTimeFormat>();
  const clock = (timeZone: string | undefined) => {
    let f = clocks.get(timeZone ?? '');
    if (!f) {
      const parts = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' } as const;
      clocks.set(timeZone ?? '', (f = new Intl.DateTimeFormat(tag, { ...parts, timeZone })));
    }
    return f;
  };
  const instant = (utc: string, timeZone?: string) => {
    const at = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(utc) ? new Date(`${utc.replace(' ', 'T')}Z`) : null;
    if (!at || Number.isNaN(at.getTime())) return utc;
    const p = Object.fromEntries(clock(timeZone).formatToParts(at).map((x) => [x.type, x.value]));
    return `${dates.format(asDate(`${p.year}-${p.month}-${p.day}`))} ${p.hour}:${p.minute} ${p.timeZoneName}`;
  };
  return {
    tag,
    lang,
    // Intl.NumberFormat takes decimal strings exactly (NumberFormat v3): no float in between.
    money: (amount, currency) => moneyFormat(currency, shownDigits(amount, currency)).format(amount as unknown as number),
    moneyCode: (amount, currency) => moneyFormat(currency, shownDigits(amount, currency), 'code').format(amount as unknown as number),
    amount: (amount, currency) => fixed(shownDigits(amount, currency)).format(amount as unknown as number),
    moneyShort: (amount, currency) => (Math.abs(amount) < 1e4 ? moneyFormat(currency, shownDigits(amount, currency)).format(amount) : `${units(amount)} ${currency}`),
    units,
    pct: (n, signed = false) => num(1, signed, 'percent').format(n / 100),
    points: (n) => `${num(1, true).format(n)} ${POINTS[lang]}`,
    days: (n, signed = false) => `${num(1, signed).format(n)} d`,
    integer: (n) => (n === null ? '' : num(0).format(n)),
    number: (n, digits = 2) => num(digits).format(n),
    decimal: (text, scale) => fixed(scale).format(text as unknown as number),
    date: (iso) => (iso ? dates.format(asDate(iso)) : ''),
    month: (iso) => months.format(asDate(iso)),
    instant,
  };
}

/** How a CSV file reads in the spreadsheet of a locale: ';' between fields where the decimal mark is a comma. */
export interface CsvDialect {
  separator: ',' | ';';
  decimal: '.' | ',';
}

export function csvDialect(tag: string): CsvDialect {
  const decimal = decimalMark(tag);
  return { separator: decimal === ',' ? ';' : ',', decimal };
}

function partOf(tag: string, type: string, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(tag, options).formatToParts(-1234567.5).find((p) => p.type === type)?.value ?? '';
}

const decimalMark = (tag: string): '.' | ',' => (partOf(tag, 'decimal') === ',' ? ',' : '.');

/** A number in a CSV cell: plain digits with the locale's decimal mark, no grouping. */
export function csvNumber(value: string | number, dialect: CsvDialect): string {
  const text = String(value);
  return dialect.decimal === ',' ? text.replace('.', ',') : text;
}

/** Number and time formats in the shape Vega's `formatLocale` and `timeFormatLocale` take (d3). */
export interface VegaLocale {
  number: { decimal: string; thousands: string; grouping: number[]; currency: [string, string] };
  time: {
    dateTime: string;
    date: string;
    time: string;
    periods: [string, string];
    days: string[];
    shortDays: string[];
    months: string[];
    shortMonths: string[];
  };
}

/** The currency's symbol before and after the number, as the locale writes it ('$', '' or '', ' €'). */
function currencyAffixes(tag: string, currency: string): [string, string] {
  const parts = new Intl.NumberFormat(tag, { style: 'currency', currency }).formatToParts(1);
  const at = parts.findIndex((p) => p.type === 'integer');
  const text = (from: number, to: number) => parts.slice(from, to).map((p) => p.value).join('');
  let last = parts.length - 1;
  while (last > 0 && parts[last].type !== 'fraction' && parts[last].type !== 'integer') last -= 1;
  return [text(0, at), text(last + 1, parts.length)];
}

/** The locale's short date as a d3 time format ('%d/%m/%Y', '%-m/%-d/%Y'). */
function dateFormat(tag: string): string {
  const codes: Record<string, string> = { day: '%d', month: '%m', year: '%Y' };
  return new Intl.DateTimeFormat(tag, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' })
    .formatToParts(new Date(Date.UTC(2026, 0, 31)))
    .map((p) => codes[p.type] ?? (p.type === 'literal' ? p.value.replace(/%/g, '%%') : ''))
    .join('');
}

function names(tag: string, options: Intl.DateTimeFormatOptions, dates: Date[]): string[] {
  const f = new Intl.DateTimeFormat(tag, { ...options, timeZone: 'UTC' });
  return dates.map((d) => f.format(d));
}

/**
 * Vega's formats for a locale, from Intl: its separators, its short date, its month and day names,
 * and the given currency's symbol where a format asks for one ('$,.2f').
 */
export function vegaLocale(tag: string, currency = 'USD'): VegaLocale {
  const monthDates = Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(2026, m, 15)));
  const dayDates = Array.from({ length: 7 }, (_, d) => new Date(Date.UTC(2026, 1, 1 + d))); // 2026-02-01 is a Sunday
  const date = dateFormat(tag);
  return {
    number: { decimal: partOf(tag, 'decimal'), thousands: partOf(tag, 'group') || ',', grouping: [3], currency: currencyAffixes(tag, currency) },
    time: {
      dateTime: `${date} %H:%M`,
      date,
      time: '%H:%M:%S',
      periods: ['AM', 'PM'],
      days: names(tag, { weekday: 'long' }, dayDates),
      shortDays: names(tag, { weekday: 'short' }, dayDates),
      months: names(tag, { month: 'long' }, monthDates),
      shortMonths: names(tag, { month: 'short' }, monthDates),
    },
  };
}

/** A Vega expression writing an axis value in the language's units (the view's locale gives the separators). */
export function unitsExpr(lang: Lang): string {
  const steps = UNITS[lang].map(([size, unit]) => `abs(datum.value) >= ${size} ? format(datum.value / ${size}, ',.3~r') + ' ${unit}' : `).join('');
  return `${steps}format(datum.value, ',.3~r')`;
}

type Node = unknown;

/** A field definition that asks for money: `format: money`. */
const isMoney = (node: Record<string, unknown>) => node.format === 'money';

/** A day as the language writes it, in d3's time format: Vega-Lite's own ('%b %d, %Y') is English order in every language. */
const DAY_FORMAT: Record<Lang, string> = { es: '%-d %b %Y', en: '%b %-d, %Y' };

/** The d3 time format of a day in a language ('%-d %b %Y'): for charts built without `localizeSpec`. */
export const dayFormat = (lang: Lang): string => DAY_FORMAT[lang];

/** A field of whole days: a date (temporal without a time unit) or a time unit down to the day. */
const isDay = (node: Record<string, unknown>) =>
  typeof node.field === 'string' && (typeof node.timeUnit === 'string' ? node.timeUnit.includes('date') : node.type === 'temporal');

/** A field of days written in the language's order, on its axis (x, y) or in its tooltip, unless the spec sets a format. */
function withDayFormat(node: Record<string, unknown>, lang: Lang, channel: string | undefined): Record<string, unknown> {
  if (!isDay(node) || node.format !== undefined) return node;
  if (channel === 'tooltip') return { ...node, format: DAY_FORMAT[lang] };
  // An axis without a time unit picks its own steps (months, years): only the daily ones are written as days.
  if ((channel === 'x' || channel === 'y') && typeof node.timeUnit === 'string') {
    const axis = (node.axis ?? {}) as Record<string, unknown>;
    return axis.format === undefined ? { ...node, axis: { ...axis, format: DAY_FORMAT[lang], formatType: 'time' } } : node;
  }
  return node;
}

const withCurrency = (title: unknown, currency: string) => (typeof title === 'string' && title ? `${title} (${currency})` : currency);

/**
 * A chart spec in one language and currency: {es, en} pairs become text, '{lang}' in strings the
 * language, and a field with `format: money` an axis in the language's units titled with the
 * currency, or a tooltip with the currency's symbol and decimals and its name in the title.
 */
export function localizeSpec(spec: Node, lang: Lang, currency: string, channel?: string): Node {
  if (Array.isArray(spec)) return spec.map((s) => localizeSpec(s, lang, currency, channel));
  if (typeof spec === 'string') return spec.replaceAll('{lang}', lang);
  if (!spec || typeof spec !== 'object') return spec;
  const keys = Object.keys(spec);
  if (keys.length === 2 && keys.includes('es') && keys.includes('en')) return (spec as Record<Lang, Node>)[lang];
  const out = withDayFormat(Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, localizeSpec(v, lang, currency, k)])) as Record<string, unknown>, lang, channel);
  if (!isMoney(out)) return out;
  const digits = minorDigits(currency);
  if (channel === 'tooltip') return { ...out, format: `$,.${digits}f`, title: withCurrency(out.title ?? out.field, currency) };
  const { format: _, ...rest } = out;
  const axisKey = channel === 'color' || channel === 'size' ? 'legend' : 'axis';
  const guide = (rest[axisKey] ?? {}) as Record<string, unknown>;
  return { ...rest, title: withCurrency(rest.title, currency), [axisKey]: { ...guide, labelExpr: unitsExpr(lang) } };
}

/**
 * A value as tiles, tables and exports show it, by the kind a dashboard gives its column:
 * money (exact, or short in units), pct, days, integer, number, date; '—' for none.
 */
export function formatValue(f: Formats, v: unknown, kind: string | undefined, currency: string): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  switch (kind) {
    case 'money':
      return f.money(v as string | number, currency);
    case 'amount':
      return f.amount(v as string | number, currency);
    case 'money-short':
      return f.moneyShort(n, currency);
    case 'pct':
      return f.pct(n);
    case 'days':
      return f.days(n);
    case 'integer':
      return f.integer(n);
    case 'number':
      return f.number(n);
    case 'date':
      return f.date(String(v));
    case 'datetime':
      return f.instant(String(v));
    default:
      if (typeof v === 'number') return f.number(v);
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

/** A KPI's change against the month before: money in percent of it, percentages in points, days in days. */
export function formatChange(f: Formats, change: number, previous: number, kind: string | undefined, currency: string): string {
  if (kind === 'money') return previous !== 0 ? f.pct((100 * change) / Math.abs(previous), true) : f.moneyShort(change, currency);
  if (kind === 'pct') return f.points(change);
  if (kind === 'days') return f.days(change, true);
  return `${change > 0 ? '+' : ''}${formatValue(f, change, kind, currency)}`;
}
