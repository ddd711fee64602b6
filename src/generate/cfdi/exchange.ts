/**
 * Exchange rates as CFDIs write them, from the demo's daily series (USD per unit): TipoCambio is
 * pesos per unit of the document's currency, EquivalenciaDR units of the document's currency per
 * unit of the payment's.
 */
import type { Currency } from '../catalog.ts';
import type { FxRate } from '../fx-rates.ts';

export class CfdiRates {
  private readonly usdPer = new Map<string, number>();

  constructor(rates: FxRate[]) {
    for (const r of rates) this.usdPer.set(`${r.currency}:${r.day}`, Number(r.rate));
  }

  private usd(currency: Currency, day: number): number {
    const rate = this.usdPer.get(`${currency}:${day}`);
    if (rate === undefined) throw new Error(`no ${currency} rate on day ${day}`);
    return rate;
  }

  /** TipoCambio / TipoCambioP: MXN per unit of `currency`, 6 decimals; undefined for MXN itself. */
  tipoCambio(currency: Currency, day: number): string | undefined {
    return currency === 'MXN' ? undefined : (this.usd(currency, day) / this.usd('MXN', day)).toFixed(6);
  }

  /** EquivalenciaDR: units of `document` currency per unit of `payment` currency, 10 decimals. */
  equivalencia(document: Currency, payment: Currency, day: number): string {
    return (this.usd(payment, day) / this.usd(document, day)).toFixed(10);
  }
}

/** Cents converted at a decimal rate and rounded to cents, e.g. a USD ImpPagado over EquivalenciaDR into MXN. */
export function convertCents(cents: number, rate: string, divide: boolean): number {
  return Math.round(divide ? cents / Number(rate) : cents * Number(rate));
}
