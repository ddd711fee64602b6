import { dispatch } from '../../src/cli/dispatch.ts';
import { withOutput } from '../../src/cli/output.ts';

/** Runs one `cartera` command line in this process (a child process costs a second of start-up per call). */
export async function cartera(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await withOutput({ write: (c) => (out += String(c)) }, { write: (c) => (err += String(c)) }, () => dispatch(argv));
  return { code, out, err };
}

/** The days of March 2026, as YYYY-MM-DD. */
export const MARCH = Array.from({ length: 31 }, (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}`);

/** A cadence for the Gobierno segment beside the shipped default (the month's C7 follows it). */
export const GOBIERNO_CADENCE = `name: gobierno
segments: [Gobierno]
catch_up_days: 3
levels:
  - level: due
    days: 0
    template: reminder.due
    label: { es: Pago por vencer hoy, en: Payment due }
  - level: formal_20
    days: 20
    template: notice.formal_20
    label: { es: Aviso formal, en: Formal notice }
`;
