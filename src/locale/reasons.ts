import { minorDigits, type Formats, type Lang } from './formats.ts';

/**
 * How the model's reasons read to a collector. A reason is stored as a feature's code and its
 * value (risk_scores.reasons, reason_values) and put into words here, at read time, with the
 * reader's formats: the same number reads "3.5 veces" in Mexico, "3,5 veces" in Colombia and
 * "3.5x" in English, and a balance carries the reporting currency.
 */
type Say = (v: number, f: Formats, currency: string) => string;

interface Words {
  es: Say;
  en: Say;
  /** The wording when the feature holds its "no history" value (-1). */
  none?: Record<Lang, string>;
}

/** A share (0.25) in whole percent: "25 %" / "25%". */
const share = (v: number, f: Formats) => f.pct(Math.round(v * 100));
const whole = (v: number, f: Formats) => f.integer(Math.round(v));
/** A balance to the cent (the feature is the SQL's DECIMAL sum as a double), as the columns beside the reason show it. */
const balance = (v: number, f: Formats, c: string) => f.money(v.toFixed(minorDigits(c)), c);
const noHistory = { es: 'sin historial de pagos', en: 'no payment history' };

const WORDS: Record<string, Words> = {
  prior_late_share: { es: (v, f) => `${share(v, f)} de sus facturas anteriores se pagaron tarde`, en: (v, f) => `${share(v, f)} of past invoices paid late`, none: noHistory },
  recent_late_share: { es: (v, f) => `${share(v, f)} de sus facturas recientes se pagaron tarde`, en: (v, f) => `${share(v, f)} of recent invoices paid late`, none: { es: 'sin pagos recientes', en: 'no recent payments' } },
  last5_late_share: { es: (v, f) => `${share(v, f)} de sus últimas 5 facturas se pagaron tarde`, en: (v, f) => `${share(v, f)} of its last 5 invoices paid late`, none: noHistory },
  avg_days_late: { es: (v, f) => `paga en promedio ${whole(v, f)} días tarde`, en: (v, f) => `pays ${whole(v, f)} days late on average`, none: noHistory },
  recent_days_late: {
    es: (v, f) => `${whole(v, f)} días de atraso promedio en los últimos 90 días`,
    en: (v, f) => `${whole(v, f)} days late on average in the last 90 days`,
    none: { es: 'sin pagos en los últimos 90 días', en: 'no payments in the last 90 days' },
  },
  days_late_trend: { es: (v, f) => `atrasos en aumento (${whole(v, f)} días más que su promedio)`, en: (v, f) => `lateness rising (${whole(v, f)} days above its average)` },
  dispute_rate: { es: (v, f) => `${share(v, f)} de sus facturas en disputa`, en: (v, f) => `${share(v, f)} of its invoices disputed` },
  partial_payment_rate: { es: (v, f) => `paga en parcialidades (${share(v, f)} de sus facturas)`, en: (v, f) => `pays in instalments (${share(v, f)} of its invoices)` },
  broken_promises: {
    es: (v, f) => (v >= 2 ? `${whole(v, f)} promesas de pago incumplidas` : 'promesa de pago incumplida'),
    en: (v, f) => (v >= 2 ? `${whole(v, f)} broken promises to pay` : 'broken promise to pay'),
  },
  amount_vs_median: { es: (v, f) => `importe ${f.number(v, 1)} veces su factura habitual`, en: (v, f) => `amount ${f.number(v, 1)}x its usual invoice` },
  days_to_due: {
    es: (v, f) => (v < 0 ? `vencida hace ${whole(-v, f)} días` : `vence en ${whole(v, f)} días`),
    en: (v, f) => (v < 0 ? `${whole(-v, f)} days past due` : `due in ${whole(v, f)} days`),
  },
  disputed: { es: () => 'disputa abierta', en: () => 'open dispute' },
  foreign_currency: { es: () => 'factura en moneda extranjera', en: () => 'foreign-currency invoice' },
  overdue_balance: { es: (v, f, c) => `saldo vencido de ${balance(v, f, c)}`, en: (v, f, c) => `overdue balance of ${balance(v, f, c)}` },
  open_balance: { es: (v, f, c) => `saldo abierto de ${balance(v, f, c)}`, en: (v, f, c) => `open balance of ${balance(v, f, c)}` },
  credit_utilisation: { es: (v, f) => `usa el ${share(v, f)} de su límite de crédito`, en: (v, f) => `${share(v, f)} of credit limit used`, none: { es: 'sin límite de crédito', en: 'no credit limit' } },
  invoices_over_60: {
    es: (v, f) => (v >= 2 ? `${whole(v, f)} facturas vencidas a más de 60 días` : '1 factura vencida a más de 60 días'),
    en: (v, f) => (v >= 2 ? `${whole(v, f)} invoices over 60 days past due` : '1 invoice over 60 days past due'),
  },
  days_since_last_payment: { es: (v, f) => `${whole(v, f)} días sin pagar`, en: (v, f) => `no payment in ${whole(v, f)} days`, none: { es: 'sin pagos registrados', en: 'no payment on record' } },
  tenure_days: { es: (v, f) => `cliente reciente (${whole(v, f)} días)`, en: (v, f) => `new customer (${whole(v, f)} days)` },
  prior_invoices: { es: (v, f) => `poco historial (${whole(v, f)} facturas)`, en: (v, f) => `little history (${whole(v, f)} invoices)` },
};

/** Codes that stand for a whole verdict, with no value: below the reasons threshold, or no feature standing out. */
const VERDICTS: Record<string, Record<Lang, string>> = {
  low_risk: { es: 'riesgo bajo', en: 'low risk' },
  usual_risk: { es: 'riesgo habitual para facturas similares', en: 'usual risk for similar invoices' },
};

/** Verdict codes (`low_risk`, `usual_risk`): a row's reasons when no feature is named. */
export const REASON_VERDICTS = { low: 'low_risk', usual: 'usual_risk' } as const;

/**
 * A row's reasons in the words of `f`'s language and its number formats, joined with '; '.
 * `codes` is the stored comma-separated list, `values` the features' values in the same order;
 * amounts are in `currency` (the reporting currency). An unknown code is kept as it is.
 *
 * @example describeReasons(formatsFor('es-CO'), 'amount_vs_median,disputed', [3.5, 1], 'COP')
 *   // -> 'importe 3,5 veces su factura habitual; disputa abierta'
 */
export function describeReasons(f: Formats, codes: string | null | undefined, values: readonly (number | string | null)[] | null | undefined, currency: string): string {
  if (!codes) return '';
  return codes
    .split(',')
    .map((code, i) => {
      const verdict = VERDICTS[code];
      if (verdict) return verdict[f.lang];
      const w = WORDS[code];
      const v = Number(values?.[i]);
      if (!w || !Number.isFinite(v)) return code;
      return v === -1 && w.none ? w.none[f.lang] : w[f.lang](v, f, currency);
    })
    .join('; ');
}
