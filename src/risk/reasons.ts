import { FEATURES, type FeatureName } from './features.ts';
import type { ForestEvaluator } from './forest.ts';

type Fmt = (v: number) => string;
const int: Fmt = (v) => Math.round(v).toLocaleString('en-US').replace(/,/g, '.');
const intEn: Fmt = (v) => Math.round(v).toLocaleString('en-US');
const pct: Fmt = (v) => String(Math.round(v * 100));

/**
 * How each feature reads to a collector, in Spanish and English. `none` is the wording when
 * the feature holds its "no history" value (-1). Features absent here never become reasons
 * (they describe the model's context, not something to talk about with the customer).
 */
interface Words {
  es: (v: number) => string;
  en: (v: number) => string;
  /** Wording for the "no history" value -1. */
  none?: [string, string];
  /** The side of the median the words describe: a low amount never reads as "amount 0.2x usual". */
  bad: 'high' | 'low';
}

const WORDS: Partial<Record<FeatureName, Words>> = {
  prior_late_share: { es: (v) => `${pct(v)}% de sus facturas anteriores se pagaron tarde`, en: (v) => `${pct(v)}% of past invoices paid late`, none: ['sin historial de pagos', 'no payment history'] , bad: 'high' },
  recent_late_share: { es: (v) => `${pct(v)}% de sus facturas recientes se pagaron tarde`, en: (v) => `${pct(v)}% of recent invoices paid late`, none: ['sin pagos recientes', 'no recent payments'], bad: 'high' },
  last5_late_share: { es: (v) => `${pct(v)}% de sus últimas 5 facturas se pagaron tarde`, en: (v) => `${pct(v)}% of its last 5 invoices paid late`, none: ['sin historial de pagos', 'no payment history'], bad: 'high' },
  avg_days_late: { es: (v) => `paga en promedio ${int(v)} días tarde`, en: (v) => `pays ${intEn(v)} days late on average`, none: ['sin historial de pagos', 'no payment history'] , bad: 'high' },
  recent_days_late: { es: (v) => `${int(v)} días de atraso promedio en los últimos 90 días`, en: (v) => `${intEn(v)} days late on average in the last 90 days`, none: ['sin pagos en los últimos 90 días', 'no payments in the last 90 days'] , bad: 'high' },
  days_late_trend: { es: (v) => `atrasos en aumento (${int(v)} días más que su promedio)`, en: (v) => `lateness rising (${intEn(v)} days above its average)` , bad: 'high' },
  dispute_rate: { es: (v) => `${pct(v)}% de sus facturas en disputa`, en: (v) => `${pct(v)}% of its invoices disputed` , bad: 'high' },
  partial_payment_rate: { es: (v) => `paga en parcialidades (${pct(v)}% de sus facturas)`, en: (v) => `pays in instalments (${pct(v)}% of its invoices)` , bad: 'high' },
  broken_promises: { es: (v) => (v >= 2 ? `${int(v)} promesas de pago incumplidas` : 'promesa de pago incumplida'), en: (v) => (v >= 2 ? `${intEn(v)} broken promises to pay` : 'broken promise to pay') , bad: 'high' },
  amount_vs_median: { es: (v) => `importe ${v.toFixed(1).replace('.', ',')} veces su factura habitual`, en: (v) => `amount ${v.toFixed(1)}x its usual invoice` , bad: 'high' },
  days_to_due: {
    es: (v) => (v < 0 ? `vencida hace ${int(-v)} días` : `vence en ${int(v)} días`),
    en: (v) => (v < 0 ? `${intEn(-v)} days past due` : `due in ${intEn(v)} days`),
    bad: 'low',
  },
  disputed: { es: () => 'disputa abierta', en: () => 'open dispute' , bad: 'high' },
  foreign_currency: { es: () => 'factura en moneda extranjera', en: () => 'foreign-currency invoice' , bad: 'high' },
  overdue_balance: { es: (v) => `saldo vencido de ${int(v)}`, en: (v) => `overdue balance of ${intEn(v)}` , bad: 'high' },
  open_balance: { es: (v) => `saldo abierto de ${int(v)}`, en: (v) => `open balance of ${intEn(v)}` , bad: 'high' },
  credit_utilisation: { es: (v) => `usa el ${pct(v)}% de su límite de crédito`, en: (v) => `${pct(v)}% of credit limit used`, none: ['sin límite de crédito', 'no credit limit'] , bad: 'high' },
  invoices_over_60: {
    es: (v) => (v >= 2 ? `${int(v)} facturas vencidas a más de 60 días` : '1 factura vencida a más de 60 días'),
    en: (v) => (v >= 2 ? `${intEn(v)} invoices over 60 days past due` : '1 invoice over 60 days past due'),
    bad: 'high',
  },
  days_since_last_payment: { es: (v) => `${int(v)} días sin pagar`, en: (v) => `no payment in ${intEn(v)} days`, none: ['sin pagos registrados', 'no payment on record'] , bad: 'high' },
  tenure_days: { es: (v) => `cliente reciente (${int(v)} días)`, en: (v) => `new customer (${intEn(v)} days)` , bad: 'low' },
  prior_invoices: { es: (v) => `poco historial (${int(v)} facturas)`, en: (v) => `little history (${intEn(v)} invoices)` , bad: 'low' },
};

const REASON_FEATURES = FEATURES.map((f, j) => [f, j] as const).filter(([f]) => WORDS[f]);

/** Rows below this probability get no reasons: nobody will call about them. */
export const REASONS_MIN_PROBABILITY = 0.1;

/**
 * The (up to 3) features that pushed one row's probability up most, by their contributions
 * along the trees' paths (see `ForestEvaluator.contributions`), among reason-worthy features
 * on their bad side of the training median. Returns feature indexes, strongest first.
 * `scratch` is a reusable buffer of nFeatures values.
 */
export function topReasons(ev: ForestEvaluator, X: Float64Array, row: number, medians: number[], scratch: Float64Array, max = 3): number[] {
  const off = row * ev.nFeatures;
  ev.contributions(X, off, scratch);
  const found: [number, number][] = [];
  for (const [f, j] of REASON_FEATURES) {
    const v = X[off + j];
    const side = WORDS[f]!.bad;
    const onBadSide = side === 'high' ? v > medians[j] || (v === -1 && medians[j] !== -1) : v < medians[j];
    // Under half a point of probability is noise, not a reason to give a customer.
    if (onBadSide && scratch[j] > 0.005) found.push([j, scratch[j]]);
  }
  found.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return found.slice(0, max).map(([j]) => j);
}

/** Reasons in words: `{ es, en, codes }`, joined with '; '. */
export function renderReasons(codes: number[], X: Float64Array, row: number, nf: number): { es: string; en: string; codes: string } {
  const es: string[] = [];
  const en: string[] = [];
  for (const j of codes) {
    const w = WORDS[FEATURES[j]];
    if (!w) continue;
    const v = X[row * nf + j];
    if (v === -1 && w.none) {
      es.push(w.none[0]);
      en.push(w.none[1]);
    } else {
      es.push(w.es(v));
      en.push(w.en(v));
    }
  }
  if (!es.length) {
    // No single feature stands out: the risk is what similar invoices carry.
    return { es: 'riesgo habitual para facturas similares', en: 'usual risk for similar invoices', codes: '' };
  }
  return { es: es.join('; '), en: en.join('; '), codes: codes.map((j) => FEATURES[j]).join(',') };
}
