import { describe, expect, it } from 'vitest';
import { atTop, auc, brier, calibration, liftByDecile } from '../../src/risk/metrics.ts';
import { calibrate, fitIsotonic, fitPlatt } from '../../src/risk/calibration.ts';
import { reasonCodes } from '../../src/risk/reasons.ts';
import { describeReasons } from '../../src/locale/reasons.ts';
import { formatsFor } from '../../src/locale/formats.ts';
import { FEATURES } from '../../src/risk/features.ts';

describe('metrics', () => {
  it('AUC: perfect, reversed, ties and a hand-computed case', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    // Pairs (pos, neg): (0.4 vs 0.1) win, (0.4 vs 0.5) lose, (0.7 vs both) win: 3 of 4.
    expect(auc([0.1, 0.4, 0.5, 0.7], [0, 1, 0, 1])).toBe(0.75);
    expect(auc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it('precision and recall at the top share, Brier, calibration and lift', () => {
    const s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05];
    const y = [1, 0, 1, 0, 0, 0, 0, 0, 0, 1];
    expect(atTop(s, y, 0.2)).toEqual({ precision: 0.5, recall: 1 / 3 });
    expect(brier([1, 0], [1, 1])).toBe(0.5);
    const cal = calibration(s, y);
    expect(cal.reduce((a, c) => a + c.n, 0)).toBe(10);
    expect(cal[9]).toMatchObject({ n: 1, observed_late: 1 });
    const lift = liftByDecile(s, y);
    expect(lift[0]).toMatchObject({ decile: 1, late_rate: 1, lift: 1 / 0.3 });
  });
});

describe('Brier score and reliability table', () => {
  it('match a hand computation', () => {
    const p = [0.12, 0.18, 0.8, 0.9];
    const y = [0, 1, 1, 1];
    // (0.12² + 0.82² + 0.2² + 0.1²) / 4 = (0.0144 + 0.6724 + 0.04 + 0.01) / 4
    expect(brier(p, y)).toBeCloseTo(0.1842, 10);
    const table = calibration(p, y);
    expect(table[1]).toMatchObject({ bin: '0.1-0.2', n: 2, observed_late: 0.5 });
    expect(table[1].mean_predicted).toBeCloseTo(0.15, 12);
    expect(table[8]).toMatchObject({ bin: '0.8-0.9', n: 1, mean_predicted: 0.8, observed_late: 1 });
    expect(table[9]).toMatchObject({ n: 1, mean_predicted: 0.9, observed_late: 1 });
    expect(table.filter((b) => b.n === 0)).toHaveLength(7);
  });
});

describe('isotonic calibration', () => {
  it('pools adjacent violators as a hand computation does, and interpolates between blocks', () => {
    // 0.3 (late 0) falls below 0.2 (late 1): they pool into one block at score 0.25, late share 0.5.
    const c = fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]);
    expect(c).toEqual({ method: 'isotonic', x: [0.1, 0.25, 0.4], y: [0, 0.5, 1] });
    expect(calibrate(c, 0.175)).toBeCloseTo(0.25, 12);
    expect(calibrate(c, 0)).toBe(0);
    expect(calibrate(c, 0.9)).toBe(1);
    expect(calibrate(null, 0.3)).toBe(0.3);
    // 1 late, then 0, 0: one block (mean score 2, share 1/3); then 1, 1 (equal means pool too).
    expect(fitIsotonic([5, 1, 4, 2, 3], [1, 1, 1, 0, 0])).toEqual({ method: 'isotonic', x: [2, 4.5], y: [1 / 3, 1] });
    // Equal scores are one block before pooling.
    expect(fitIsotonic([0.5, 0.5, 0.9], [0, 1, 1])).toEqual({ method: 'isotonic', x: [0.5, 0.9], y: [0.5, 1] });
  });
});

describe('Platt calibration', () => {
  it('solves two hand-computed cases: already calibrated, and uninformative', () => {
    // Scores 0.25 and 0.75, late 1 in 4 and 3 in 4: sigmoid(a·logit(s) + b) must give 0.25 and 0.75
    // at logit ±ln 3, so a = 1 and b = 0.
    const s = [0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75];
    const fitted = fitPlatt(s, [1, 0, 0, 0, 1, 1, 1, 0]);
    expect(fitted.a).toBeCloseTo(1, 4);
    expect(fitted.b).toBeCloseTo(0, 4);
    expect(calibrate(fitted, 0.25)).toBeCloseTo(0.25, 4);
    // Half late at both scores: the score says nothing, a = 0, and every probability is 0.5.
    const flat = fitPlatt(s, [1, 1, 0, 0, 1, 1, 0, 0]);
    expect(flat.a).toBeCloseTo(0, 4);
    expect(calibrate(flat, 0.9)).toBeCloseTo(0.5, 4);
  });
});

describe('reasons', () => {
  it('are stored as codes and values, and read as a collector would say them in each locale', () => {
    const X = new Float64Array(FEATURES.length);
    X[FEATURES.indexOf('invoices_over_60')] = 3;
    X[FEATURES.indexOf('broken_promises')] = 1;
    X[FEATURES.indexOf('disputed')] = 1;
    X[FEATURES.indexOf('days_since_last_payment')] = -1;
    const codes = ['invoices_over_60', 'broken_promises', 'disputed', 'days_since_last_payment'].map((f) => FEATURES.indexOf(f as never));
    const r = reasonCodes(codes, X, 0, FEATURES.length);
    expect(r).toEqual({ codes: 'invoices_over_60,broken_promises,disputed,days_since_last_payment', values: '3,1,1,-1' });
    const values = r.values.split(',').map(Number);
    expect(describeReasons(formatsFor('es-MX'), r.codes, values, 'MXN')).toBe('3 facturas vencidas a más de 60 días; promesa de pago incumplida; disputa abierta; sin pagos registrados');
    expect(describeReasons(formatsFor('en-US'), r.codes, values, 'MXN')).toBe('3 invoices over 60 days past due; broken promise to pay; open dispute; no payment on record');
  });

  it("take the reader's number formats and the reporting currency, not one fixed format", () => {
    const codes = 'amount_vs_median,overdue_balance,prior_late_share';
    const values = [3.46, 1234567.4, 0.25];
    // Intl's own no-break spaces ('$ 1.234.567') written as plain ones. A balance reads to the cent, as the queue's
    // columns beside it do: rounded to 1,234,567 it read '$1,234,567.00', a figure the customer does not owe.
    const read = (tag: string, cur: string) => describeReasons(formatsFor(tag), codes, values, cur).replace(/[\u00a0\u202f]/g, ' ');
    expect(read('es-MX', 'MXN')).toBe('importe 3.5 veces su factura habitual; saldo vencido de $1,234,567.40; 25% de sus facturas anteriores se pagaron tarde');
    expect(read('es-CO', 'COP')).toBe('importe 3,5 veces su factura habitual; saldo vencido de $ 1.234.567,40; 25% de sus facturas anteriores se pagaron tarde');
    expect(read('en-US', 'USD')).toBe('amount 3.5x its usual invoice; overdue balance of $1,234,567.40; 25% of past invoices paid late');
  });

  it('say low or usual risk when no feature is named, and keep an unknown code as it is', () => {
    const es = formatsFor('es-MX');
    expect(reasonCodes([], new Float64Array(FEATURES.length), 0, FEATURES.length)).toEqual({ codes: 'usual_risk', values: '' });
    expect(describeReasons(es, 'usual_risk', [], 'MXN')).toBe('riesgo habitual para facturas similares');
    expect(describeReasons(formatsFor('en-US'), 'low_risk', [], 'MXN')).toBe('low risk');
    expect(describeReasons(es, 'region_code', [4], 'MXN')).toBe('region_code');
    expect(describeReasons(es, '', [], 'MXN')).toBe('');
  });
});
