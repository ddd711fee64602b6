/**
 * Money as integer cents: sums stay exact, and text is written digit by digit, never through
 * a float's toString.
 */

/** Canonical text: dot decimals, no thousands separator, leading minus, e.g. -1234.50. */
export function centsCanonical(cents: number): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100);
  const frac = abs - units * 100;
  return `${neg ? '-' : ''}${units}.${frac < 10 ? '0' : ''}${frac}`;
}

/** Spanish ERP text: '.' thousands and ',' decimals, e.g. 1.234.567,89. */
export function centsSpanish(cents: number): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100);
  const frac = abs - units * 100;
  let digits = String(units);
  let grouped = '';
  while (digits.length > 3) {
    grouped = '.' + digits.slice(-3) + grouped;
    digits = digits.slice(0, -3);
  }
  return `${neg ? '-' : ''}${digits}${grouped},${frac < 10 ? '0' : ''}${frac}`;
}

/** Rounds an amount in currency units to cents; `wholeUnits` currencies (CLP) get no cents. */
export function toCents(units: number, wholeUnits: boolean): number {
  return wholeUnits ? Math.max(1, Math.round(units)) * 100 : Math.max(1, Math.round(units * 100));
}
