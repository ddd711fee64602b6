import { CURRENCIES, CURRENCY_CODES, type Currency } from './catalog.ts';
import { weekdayOf } from './days.ts';
import { Prng } from './prng.ts';

/** One published rate: USD per 1 unit of `currency`, with 8 decimals as text. */
export interface FxRate {
  day: number;
  currency: Currency;
  rate: string;
}

const DAILY_VOLATILITY: Record<Currency, number> = { USD: 0, MXN: 0.006, COP: 0.007, CLP: 0.006 };

/**
 * Daily rates for every calendar day in [first, last] and every currency (USD itself at 1):
 * a mean-reverting random walk in logs around the catalog's level. Weekends repeat Friday's
 * rate, as central banks publish on business days only.
 */
export function fxRates(seed: number, first: number, last: number): FxRate[] {
  const out: FxRate[] = [];
  for (const [k, currency] of CURRENCY_CODES.entries()) {
    const rng = Prng.derive(seed, 3, k);
    const level = Math.log(CURRENCIES[currency].usdRate);
    let x = level;
    for (let day = first; day <= last; day++) {
      const wd = weekdayOf(day);
      if (wd !== 0 && wd !== 6) x += 0.02 * (level - x) + DAILY_VOLATILITY[currency] * rng.normal();
      out.push({ day, currency, rate: currency === 'USD' ? '1.00000000' : Math.exp(x).toFixed(8) });
    }
  }
  return out;
}
