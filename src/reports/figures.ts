import { formatsFor, minorDigits, type StatementLocale } from '../statements/index.ts';
import { REPORT_LABELS } from './labels.ts';

/** How a dashboard tile or column formats its value (dashboards/*.yaml `format`). */
export type FigureKind = 'money' | 'pct' | 'days' | 'integer' | 'date';

const number = (tag: string, digits: number, sign = false) =>
  new Intl.NumberFormat(tag, { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: sign ? 'exceptZero' : 'auto' });

/**
 * A panel's value as the pack prints it, in the locale's formats: money in `currency` (from the
 * panel's number, to the currency's minor unit), percentages and days with one decimal.
 * Null, undefined and empty are an em dash.
 *
 * @example figure(1234.5, 'money', parseLocale('es-CO'), 'COP') // -> '$ 1.234,50'
 */
export function figure(v: unknown, kind: FigureKind | undefined, locale: StatementLocale, currency: string): string {
  if (v === null || v === undefined || v === '') return '—';
  const f = formatsFor(locale.tag);
  const n = Number(v);
  switch (kind) {
    case 'money':
      return f.money(n.toFixed(minorDigits(currency)), currency);
    case 'pct':
      return new Intl.NumberFormat(locale.tag, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n / 100);
    case 'days':
      return `${number(locale.tag, 1).format(n)} ${REPORT_LABELS[locale.lang].days}`;
    case 'integer':
      return f.integer(n);
    case 'date':
      return f.date(String(v));
    default:
      return String(v);
  }
}

/**
 * The change from `previous` to `value`, signed: money in the currency, a percentage in percentage
 * points ('+1,2 pp', never '%'), days in days. An em dash when either is missing.
 */
export function change(value: unknown, previous: unknown, kind: FigureKind, locale: StatementLocale, currency: string): string {
  if (value === null || value === undefined || previous === null || previous === undefined) return '—';
  const d = Number(value) - Number(previous);
  const t = REPORT_LABELS[locale.lang];
  if (kind === 'money') return `${d > 0 ? '+' : ''}${figure(d, 'money', locale, currency)}`;
  const text = number(locale.tag, 1, true).format(d);
  return kind === 'pct' ? `${text} ${t.points}` : kind === 'days' ? `${text} ${t.days}` : text;
}
