import { UserError } from '../cli/command.ts';
import { stdout } from '../cli/output.ts';
import { BASES, BuildOptionError, parseBuckets, validateOptions, type Basis } from '../models/index.ts';
import type { RefreshEvent, RequestChanges } from '../pipeline/index.ts';

/** The flags that define a publication, shared by refresh, build and score. */
export const publicationFlags = {
  'as-of': { type: 'string', description: 'date the numbers are as of; "latest" = the latest date in the data (default: as last published)', placeholder: 'DATE' },
  buckets: { type: 'string', description: 'aging bucket upper bounds in days (default: as last published, else 30,60,90,120)', placeholder: 'N,N,...' },
  basis: { type: 'string', description: `age from: ${BASES.join('|')} date (default: as last published, else due)`, placeholder: 'B' },
  currency: { type: 'string', description: 'reporting currency; "auto" = the most common invoice currency (default: as last published)', placeholder: 'CUR' },
} as const;

export const lateDaysFlag = {
  'late-days': { type: 'string', description: 'late = not settled within N days of the due date, 0 = any lateness (default: as last published, else 30)', placeholder: 'N' },
} as const;

/** Parses a non-negative integer flag. */
export function intFlag(v: unknown, name: string, fallback: number, min = 0): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UserError(`--${name} must be an integer >= ${min}`, 2);
  return n;
}

/** Turns the flags into changes of the published options, or a one-line usage error. */
export function changesFromFlags(command: string, opts: Record<string, unknown>): RequestChanges | undefined {
  const asOf = opts['as-of'] as string | undefined;
  const currency = (opts.currency as string | undefined)?.toUpperCase();
  const changes: RequestChanges = {
    asOf,
    buckets: opts.buckets === undefined ? undefined : parseFlag(command, () => parseBuckets(String(opts.buckets))),
    basis: opts.basis as Basis | undefined,
    currency: currency === 'AUTO' ? 'auto' : currency,
    lateDays: opts['late-days'] === undefined ? undefined : intFlag(opts['late-days'], 'late-days', 30),
  };
  parseFlag(command, () =>
    validateOptions({
      asOf: asOf === 'latest' ? undefined : asOf,
      basis: changes.basis,
      currency: changes.currency === 'auto' ? undefined : changes.currency,
    }),
  );
  return Object.values(changes).some((v) => v !== undefined) ? changes : undefined;
}

function parseFlag<T>(command: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof BuildOptionError) throw new UserError(`${command}: ${err.message}`, 2);
    throw err;
  }
}

/** Prints each step as it starts and ends: on a terminal and in a log alike. */
export function printStep(e: RefreshEvent): void {
  if (e.phase === 'start') stdout.write(`${e.step}...\n`);
  else stdout.write(`${e.step}: done in ${e.seconds!.toFixed(1)} s\n`);
}
