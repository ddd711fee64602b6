/**
 * Risk bands from the probability of paying late: A (lowest) to E. Cut-offs are on the
 * probability itself, so a band means the same thing across models and dates:
 * A < 0.10 <= B < 0.25 <= C < 0.45 <= D < 0.70 <= E.
 */
export const BAND_CUTOFFS: [string, number][] = [
  ['A', 0.1],
  ['B', 0.25],
  ['C', 0.45],
  ['D', 0.7],
];

/** The band of a probability. */
export function riskBand(p: number): string {
  for (const [band, upTo] of BAND_CUTOFFS) if (p < upTo) return band;
  return 'E';
}

/** The same bands as a SQL CASE over a probability expression (a fixed expression, never user input). */
export function bandSql(expr: string): string {
  return `case ${BAND_CUTOFFS.map(([b, upTo]) => `when ${expr} < ${upTo} then '${b}'`).join(' ')} else 'E' end`;
}
