import { InputError } from '../db/errors.ts';
import type { Warehouse } from '../db/warehouse.ts';

/** Aging bucket upper bounds unless `--buckets` says otherwise: current, 1-30, ..., 91-120, 120+. */
export const DEFAULT_BUCKETS = [30, 60, 90, 120];
export const BASES = ['due', 'invoice'] as const;
export type Basis = (typeof BASES)[number];

/** What the caller asks for; anything left out is resolved from the data. */
export interface BuildOptionsInput {
  /** ISO date; default: the latest date in the data. */
  asOf?: string;
  buckets?: number[];
  basis?: Basis;
  /** ISO 4217 code; default: the most common invoice currency. */
  currency?: string;
}

/** The options one build ran with, as stored in `build_options` and `builds.options`. */
export interface BuildOptions {
  asOf: string;
  buckets: number[];
  basis: Basis;
  reportingCurrency: string;
}

/** An option the caller got wrong: the CLI prints it as one line. */
export class BuildOptionError extends InputError {}

/** Parses `--buckets 30,60,90`: positive whole days, strictly increasing. */
export function parseBuckets(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (!parts.length || parts.some((p, i) => p === '' || !Number.isInteger(nums[i]) || nums[i] <= 0)) {
    throw new BuildOptionError(`--buckets must be positive whole days separated by commas, e.g. 30,60,90 (got '${text}')`);
  }
  if (nums.some((n, i) => i > 0 && n <= nums[i - 1])) {
    throw new BuildOptionError(`--buckets must increase strictly (got '${text}')`);
  }
  return nums;
}

/** Checks what the caller gave; throws BuildOptionError naming the bad option. */
export function validateOptions(input: BuildOptionsInput): BuildOptionsInput {
  if (input.asOf !== undefined) {
    const d = new Date(`${input.asOf}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.asOf) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== input.asOf) {
      throw new BuildOptionError(`--as-of must be a date as YYYY-MM-DD (got '${input.asOf}')`);
    }
  }
  if (input.buckets !== undefined) parseBuckets(input.buckets.join(','));
  if (input.basis !== undefined && !BASES.includes(input.basis)) {
    throw new BuildOptionError(`--basis must be one of ${BASES.join(', ')} (got '${input.basis}')`);
  }
  if (input.currency !== undefined && !/^[A-Za-z]{3}$/.test(input.currency)) {
    throw new BuildOptionError(`--currency must be a 3-letter ISO 4217 code (got '${input.currency}')`);
  }
  return input;
}

/** The latest date anything happened: documents, settlements, payments, disputes, contacts. */
async function latestDate(wh: Warehouse): Promise<string | undefined> {
  // Promised dates are left out: they are in the future by nature.
  const d = await wh.scalar<string | null>(
    `select greatest(
       (select max(greatest(invoice_date, paid_date)) from stg_invoices),
       (select max(payment_date) from stg_payments),
       (select max(greatest(opened_date, resolved_date)) from stg_disputes),
       (select max(promise_date) from stg_promises_to_pay),
       (select max(activity_date) from stg_collection_activities))`,
  );
  return d ?? undefined;
}

/** The most common invoice currency (ties: alphabetical), or 'XXX' (ISO "no currency") with no invoices. */
async function commonestCurrency(wh: Warehouse): Promise<string> {
  const c = await wh.scalar<string>(
    `select currency from stg_invoices group by currency order by count(*) desc, currency limit 1`,
  );
  return c ?? 'XXX';
}

/**
 * Writes the one-row `build_options` table the models read, filling defaults from the staging
 * views (which must exist already). Values travel as bound parameters, never as SQL text.
 */
export async function writeBuildOptions(wh: Warehouse, input: BuildOptionsInput): Promise<BuildOptions> {
  validateOptions(input);
  const options: BuildOptions = {
    asOf: input.asOf ?? (await latestDate(wh)) ?? new Date().toISOString().slice(0, 10),
    buckets: input.buckets ?? DEFAULT_BUCKETS,
    basis: input.basis ?? 'due',
    reportingCurrency: input.currency?.toUpperCase() ?? (await commonestCurrency(wh)),
  };
  await wh.run(`create or replace table build_options (
    as_of DATE NOT NULL, buckets INTEGER[] NOT NULL, basis VARCHAR NOT NULL, reporting_currency VARCHAR NOT NULL)`);
  await wh.run(`insert into build_options values ($1::date, $2::integer[], $3, $4)`, [
    options.asOf,
    `[${options.buckets.join(',')}]`,
    options.basis,
    options.reportingCurrency,
  ]);
  return options;
}
