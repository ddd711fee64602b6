import { formatChange, formatsFor, formatValue, minorDigits } from '../locale/formats.ts';
import type { StatementLocale } from '../statements/index.ts';

/** How a dashboard tile or column formats its value (dashboards/*.yaml `format`); 'amount' is money without its currency. */
export type FigureKind = 'money' | 'amount' | 'pct' | 'days' | 'integer' | 'date' | 'datetime';

/**
 * A panel's value as the pack prints it: the shared formatter's (src/locale/formats.ts), so the
 * PDF reads as the page does. Null, undefined and empty are an em dash.
 *
 * @example figure(1234.5, 'money', parseLocale('es-CO'), 'COP') // -> '$ 1.234,50'
 */
export function figure(v: unknown, kind: FigureKind | undefined, locale: StatementLocale, currency: string): string {
  return formatValue(formatsFor(locale.tag), v, kind, currency);
}

/**
 * The change from `previous` to `value`, signed: a percentage in percentage points ('+1,2 p. p.',
 * never '%'), days in days, and money as an amount (the pack prints the previous value beside it).
 * An em dash when either is missing.
 */
export function change(value: unknown, previous: unknown, kind: FigureKind, locale: StatementLocale, currency: string): string {
  if (value === null || value === undefined || previous === null || previous === undefined) return '—';
  const f = formatsFor(locale.tag);
  const d = Number(value) - Number(previous);
  if (kind === 'money') return `${d > 0 ? '+' : ''}${f.money(d.toFixed(minorDigits(currency)), currency)}`;
  return formatChange(f, d, Number(previous), kind, currency);
}
