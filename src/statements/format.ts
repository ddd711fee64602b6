/**
 * Number and date formats of one locale, by the runtime's Intl (full ICU in Node 20): money is
 * formatted from its DECIMAL text, which Intl.NumberFormat takes exactly, never through a float.
 */
export interface Formats {
  money(amount: string, currency: string): string;
  date(iso: string | null): string;
  integer(n: number | null): string;
}

/** ISO 4217 currencies without a minor unit: the same list staging rounds amounts to whole units by (sql/staging, invoices). */
const WHOLE_UNITS = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);

/**
 * Decimals of a currency's amounts: the minor unit the models round to. Locale data may show fewer
 * (es-CO writes COP without cents), which would hide cents a balance has.
 */
export const minorDigits = (currency: string) => (WHOLE_UNITS.has(currency) ? 0 : 2);

/**
 * The formats of a BCP 47 tag (checked by `parseLocale`).
 *
 * @example formatsFor('es-CO').money('1234567.50', 'COP') // -> '$ 1.234.567,50'
 */
export function formatsFor(tag: string): Formats {
  const money = new Map<string, Intl.NumberFormat>();
  const dates = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' });
  const integers = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  return {
    money(amount, currency) {
      let f = money.get(currency);
      if (!f) {
        const digits = minorDigits(currency);
        f = new Intl.NumberFormat(tag, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
        money.set(currency, f);
      }
      // A DECIMAL's text is formatted exactly (Intl.NumberFormat v3 takes decimal strings).
      return f.format(amount as unknown as number);
    },
    date: (iso) => (iso ? dates.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`)) : ''),
    integer: (n) => (n === null ? '' : integers.format(n)),
  };
}
