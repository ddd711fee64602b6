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
export class BuildOptionError extends Error {}

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

/**
 * Writes the one-row `build_options` table the models read, filling defaults from the staging
 * views (which must exist already). Values travel as bound parameters, never as SQL text.
 */
export async function writeBuildOptions(wh: Warehouse, input: BuildOptionsInput): Promise<BuildOptions> {
  validateOptions(input);
  await wh.run(`create or replace table build_options (
    as_of DATE NOT NULL, buckets INTEGER[] NOT NULL, basis VARCHAR NOT NULL, reporting_currency VARCHAR NOT NULL)`);
  // The latest date anything happened: documents, settlements, payments, disputes, contacts.
  // Promised dates are left out: they are in the future by nature.
  await wh.run(
    `insert into build_options
     select
       coalesce($as_of::date, (select max(d) from (
         select max(invoice_date) as d from stg_invoices
         union all select max(paid_date) from stg_invoices
         union all select max(payment_date) from stg_payments
         union all select max(opened_date) from stg_disputes
         union all select max(resolved_date) from stg_disputes
         union all select max(promise_date) from stg_promises_to_pay
         union all select max(activity_date) from stg_collection_activities)), current_date),
       $buckets::integer[],
       $basis,
       coalesce($currency, (select currency from stg_invoices group by currency order by count(*) desc, currency limit 1), 'XXX')`,
    {
      as_of: input.asOf ?? null,
      buckets: `[${(input.buckets ?? DEFAULT_BUCKETS).join(',')}]`,
      basis: input.basis ?? 'due',
      currency: input.currency?.toUpperCase() ?? null,
    },
  );
  const row = await wh.one<{ as_of: string; buckets: number[]; basis: Basis; reporting_currency: string }>(
    'select as_of, buckets, basis, reporting_currency from build_options',
  );
  return { asOf: row!.as_of, buckets: row!.buckets, basis: row!.basis, reportingCurrency: row!.reporting_currency };
}
