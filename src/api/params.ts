import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiEnv } from './env.ts';
import { badRequest } from './problem.ts';

/** An ISO date, e.g. 2024-06-30. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a real calendar date');

const text = (description: string) => z.string().min(1).max(200).optional().openapi({ description });

/** Filters shared by the KPI endpoints (kpis, kpis/monthly, aging). */
export const kpiFilters = {
  as_of: isoDate.optional().openapi({ description: 'as-of date (default: the build as-of date)' }),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code')
    .optional()
    .openapi({ description: "reporting currency; must be the build's reporting currency" }),
  segment: text('only this customer segment'),
  collector: text('only this collector'),
  country: text('only this country'),
};

/**
 * Refuses a reporting currency other than the build's: amounts are converted once, at build
 * time, into one reporting currency, and the API does not convert again.
 */
export async function checkReportingCurrency(c: Context<ApiEnv>, currency: string | undefined): Promise<void> {
  if (!currency) return;
  const reporting = (await c.var.reads.publication()).reportingCurrency;
  if (!reporting) {
    throw badRequest(
      `currency '${currency.toUpperCase()}' cannot be checked: the build does not record its reporting currency (set CARTERA_REPORTING_CURRENCY); leave 'currency' out`,
    );
  }
  if (currency.toUpperCase() !== reporting) {
    throw badRequest(
      `query parameter 'currency': amounts are reported in ${reporting}; '${currency.toUpperCase()}' is not available (leave it out or use ${reporting})`,
    );
  }
}

/** A positive integer query parameter with bounds. */
export const intParam = (min: number, max: number, def: number, description: string) =>
  z.coerce.number().int().min(min).max(max).default(def).openapi({ description });
