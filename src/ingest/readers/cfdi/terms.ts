/**
 * The days of credit a CFDI's free-text CondicionesDePago states, when it states them:
 * "30 DIAS", "Neto 30", "Crédito a 45 días", "NET 60". "CONTADO" (cash) is 0 days.
 *
 * @example termsDays('CREDITO 30 DIAS') === 30; termsDays('CONTADO') === 0; termsDays('Condiciones de pago') === undefined
 */
export function termsDays(text: string | null): number | undefined {
  if (!text) return undefined;
  const t = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const days = /\b(\d{1,3})\s*(?:dias?|days?|d\.?n\.?|dn)\b/.exec(t) ?? /\b(?:neto|net|credito(?: a)?|plazo(?: de)?)\s*(\d{1,3})\b/.exec(t);
  if (days) return Number(days[1]);
  if (/^\s*(?:de\s+)?contado\b/.test(t) || /\bpago en una sola exhibicion\b/.test(t)) return 0;
  return undefined;
}
