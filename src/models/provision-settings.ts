import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Warehouse } from '../db/warehouse.ts';
import { BuildOptionError } from './build-options.ts';

/** What `agg_provision_matrix` is computed with; the method is written out in `sql/marts/agg_provision_matrix.yml`. */
export interface ProvisionSettings {
  /** Month-to-month transitions averaged into each roll rate. */
  windowMonths: number;
  /** Document-month observations a segment needs in every bucket to use its own rates. */
  minDocuments: number;
  /** Forward-looking adjustment in percent (5 = +5 %), for every bucket not named below. */
  adjustmentPct: number;
  /** Per bucket label ('91-120', '120+'), replacing `adjustmentPct` for that bucket. */
  bucketAdjustmentPct: Record<string, number>;
}

export const DEFAULT_PROVISION: ProvisionSettings = { windowMonths: 12, minDocuments: 30, adjustmentPct: 0, bucketAdjustmentPct: {} };

// Above -100 % (a provision never turns negative); 1,000 % bounds a typo, not a judgement.
const pct = z.number().gt(-100).max(1000);
const schema = z.strictObject({
  window_months: z.number().int().min(1).max(60).optional(),
  min_documents: z.number().int().min(1).optional(),
  adjustment_pct: pct.optional(),
  bucket_adjustment_pct: z.record(z.string().regex(/^(current|\d+-\d+|\d+\+)$/, 'a bucket label such as current, 1-30 or 120+'), pct).optional(),
});

/**
 * Where the provision settings of a warehouse are: `CARTERA_PROVISION`, or `provision.yaml`
 * beside the warehouse (`data/provision.yaml` for the default `data/warehouse.duckdb`).
 */
export function provisionPath(dbPath: string): string {
  return process.env.CARTERA_PROVISION ?? join(dirname(resolve(dbPath)), 'provision.yaml');
}

/** The settings in the file at `path`, checked; the defaults when there is no file. */
export function loadProvisionSettings(path: string): ProvisionSettings {
  if (!existsSync(path)) return DEFAULT_PROVISION;
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (err) {
    throw new BuildOptionError(`${path}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const why = r.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ');
    throw new BuildOptionError(`${path}: ${why} (fields: window_months, min_documents, adjustment_pct, bucket_adjustment_pct)`);
  }
  return {
    windowMonths: r.data.window_months ?? DEFAULT_PROVISION.windowMonths,
    minDocuments: r.data.min_documents ?? DEFAULT_PROVISION.minDocuments,
    adjustmentPct: r.data.adjustment_pct ?? DEFAULT_PROVISION.adjustmentPct,
    bucketAdjustmentPct: r.data.bucket_adjustment_pct ?? {},
  };
}

/**
 * Writes the one-row `provision_settings` table the provision mart reads, into the schema being
 * built (so it is published with the models it shaped), from the warehouse's `provision.yaml`.
 */
export async function writeProvisionSettings(wh: Warehouse): Promise<ProvisionSettings> {
  const s = wh.path === ':memory:' ? DEFAULT_PROVISION : loadProvisionSettings(provisionPath(wh.path));
  await wh.run(`create or replace table provision_settings (
    window_months INTEGER NOT NULL, min_documents INTEGER NOT NULL, adjustment_pct DECIMAL(9, 4) NOT NULL,
    bucket_adjustment_pct STRUCT(bucket VARCHAR, adjustment_pct DECIMAL(9, 4))[] NOT NULL)`);
  const buckets = Object.entries(s.bucketAdjustmentPct);
  await wh.run(
    `insert into provision_settings
     select $1, $2, $3::decimal(9, 4),
            coalesce(list_transform(list_zip($4::varchar[], $5::double[]), x -> {'bucket': x[1], 'adjustment_pct': x[2]::decimal(9, 4)}), [])`,
    [s.windowMonths, s.minDocuments, String(s.adjustmentPct), `[${buckets.map(([b]) => `'${b}'`).join(',')}]`, `[${buckets.map(([, v]) => v).join(',')}]`],
  );
  return s;
}
