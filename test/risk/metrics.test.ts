import { describe, expect, it } from 'vitest';
import { atTop, auc, brier, calibration, liftByDecile } from '../../src/risk/metrics.ts';
import { renderReasons } from '../../src/risk/reasons.ts';
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

describe('reasons', () => {
  it('read as a collector would say them, in Spanish and English', () => {
    const X = new Float64Array(FEATURES.length);
    X[FEATURES.indexOf('invoices_over_60')] = 3;
    X[FEATURES.indexOf('broken_promises')] = 1;
    X[FEATURES.indexOf('disputed')] = 1;
    X[FEATURES.indexOf('days_since_last_payment')] = -1;
    const codes = ['invoices_over_60', 'broken_promises', 'disputed', 'days_since_last_payment'].map((f) => FEATURES.indexOf(f as never));
    const r = renderReasons(codes, X, 0, FEATURES.length);
    expect(r.es).toBe('3 facturas vencidas a más de 60 días; promesa de pago incumplida; disputa abierta; sin pagos registrados');
    expect(r.en).toBe('3 invoices over 60 days past due; broken promise to pay; open dispute; no payment on record');
    expect(r.codes).toBe('invoices_over_60,broken_promises,disputed,days_since_last_payment');
  });
});
