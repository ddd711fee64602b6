import { createHash, randomUUID } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ensureRecordedTables } from '../canonical/recorded-events.ts';
import { runRefresh } from '../pipeline/index.ts';
import type { ApiContext } from './context.ts';
import type { ApiEnv } from './env.ts';
import { isoDate } from './params.ts';
import { ApiError, badRequest, NO_CUSTOMER, notFound, requestFormats, type Said } from './problem.ts';
import { errorResponses, problemResponses } from './responses.ts';
import type { Role } from './roles.ts';
import { UTC_NOW } from './schema.ts';

const record = (description: string) => ({ description, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } });

/** Responses of a POST that records. */
export const createdResponses = (description: string) => ({ 201: record(description), ...writeResponses(description) });

/** Responses of a PATCH that closes a record. */
export const updatedResponses = (description: string) => ({ 200: record(description), ...writeResponses(description) });

/** Who may record contacts, promises and disputes: collectors (their own customers only) and admins. */
export const RECORDERS = ['collections', 'admin'] as const satisfies readonly Role[];

/** The request is well formed but does not fit the data (an invoice of another customer, a currency the invoice is not in). */
export const unprocessable = (detail: Said) => new ApiError(422, 'Unprocessable content', detail);
export const conflict = (detail: Said) => new ApiError(409, 'Conflict', detail);

/** An amount of money as JSON: positive, at most two decimals. */
export const moneyField = (description: string) =>
  z
    .number()
    .positive()
    .max(1e13)
    .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'must have at most 2 decimals')
    .openapi({ description });

/** The day something happened on; see `workDay`. */
export const dayField = (description: string) => isoDate.optional().openapi({ description });

/** The errors every write may answer. */
export const writeResponses = (description: string) => ({
  ...errorResponses,
  ...problemResponses({
    404: "No such customer (or record) in the caller's portfolio",
    409: 'The record is already closed, or came from an ERP export',
    422: "The request does not fit the data (invoice, currency, amount, dates), or an Idempotency-Key was reused with another body",
  }),
});

/** The Idempotency-Key header, for the OpenAPI document. */
export const idempotencyHeader = z.object({
  'idempotency-key': z.string().optional().openapi({ description: 'any 1-200 visible characters; a retry with the same key and body gets the first answer and records nothing twice' }),
});

/** A new record id, e.g. PRM-3F2A9C1B0D4E5F60: Cartera's ids never collide with an export's. */
export const newId = (prefix: string) => `${prefix}-${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`;

/** Today in UTC, as YYYY-MM-DD. */
export const today = () => new Date().toISOString().slice(0, 10);

/**
 * The latest calendar day anywhere on Earth at `now` (UTC+14, which each day reaches first), as YYYY-MM-DD:
 * the server does not know a collector's zone, and its UTC date is still yesterday in Madrid after midnight.
 */
export const latestToday = (now = new Date()) => new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);

/**
 * The day a record happened on in the warehouse's timeline: the one given, else the served call
 * list's as-of (the day the collector is working; today when the data is current). A record dated
 * after the as-of would count only once the data reaches its day, so "at once" would not hold.
 */
export async function workDay(c: Context<ApiEnv>, given: string | undefined, field: string): Promise<string> {
  if (given !== undefined) {
    if (given > latestToday()) throw unprocessable({ en: `body field '${field}': ${given} is in the future`, es: `la fecha ${requestFormats(c).date(given)} es futura` });
    return given;
  }
  return (await c.var.reads.publication()).asOf ?? today();
}

/** The customer a record is about; another collector's answers 404 exactly like one that does not exist. */
export async function scopedCustomer(c: Context<ApiEnv>, id: string): Promise<{ customer_id: string; collector: string | null }> {
  const own = c.var.principal?.collector;
  const [row] = await c.var.reads.rows<{ customer_id: string; collector: string | null }>(
    `select customer_id, collector from dim_customers where customer_id = $1`,
    [id],
  );
  if (!row || (own && row.collector !== own)) throw notFound(NO_CUSTOMER(id));
  return row;
}

/** The collector a record counts for: the caller's own, else the customer's. */
export const recordCollector = (c: Context<ApiEnv>, customer: { collector: string | null }) => c.var.principal?.collector ?? customer.collector;

/** Who recorded: the name of the user or key, and the caller ('user:<name>' or 'key:<id>'). */
export function recorder(c: Context<ApiEnv>): { name: string; subject: string; at: string } {
  const p = c.var.principal!;
  return { name: p.name, subject: p.subject, at: new Date().toISOString() };
}

/** An ISO instant as a TIMESTAMP literal value (UTC, no zone). */
export const timestampValue = (iso: string) => iso.replace('T', ' ').replace('Z', '');

/** SQL that reads a TIMESTAMP column back as an ISO instant. */
export const isoInstant = (column: string) => `strftime(${column}, '%Y-%m-%dT%H:%M:%S.%gZ')`;

/**
 * Runs one record write: one writer at a time (a write waits for the one running), the record
 * and its Idempotency-Key answer committed together, then the one pipeline run so the record
 * shows in the marts and the call list before the answer goes out. A retry with the same key and
 * body gets the stored answer; the same key with another body answers 422. Errors raised by
 * `write` (404, 409, 422) are not stored: a retry checks again.
 */
export async function recordWrite(
  c: Context<ApiEnv>,
  status: 200 | 201,
  request: unknown,
  write: () => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const api = c.var.api;
  const subject = c.var.principal!.subject;
  const key = c.req.header('idempotency-key');
  if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw badRequest({ en: "header 'Idempotency-Key': must be 1 to 200 visible ASCII characters", es: "la cabecera Idempotency-Key debe tener de 1 a 200 caracteres ASCII visibles" });
  }
  const hash = createHash('sha256').update(JSON.stringify([c.req.method, c.req.path, request])).digest('hex');
  const answer = await api.writeWhenFree(async () => {
    await ensureRecordedTables(api.wh);
    // A retry comes within minutes; a day of answers is plenty, and the table stays small.
    await api.wh.run(`delete from api_idempotency where created < ${UTC_NOW} - interval 1 day`);
    if (key !== undefined) {
      const seen = await api.wh.one<{ request_hash: string; status: number; body: string }>(
        `select request_hash, status, body from api_idempotency where subject = $1 and idempotency_key = $2`,
        [subject, key],
      );
      if (seen && seen.request_hash !== hash) {
        throw unprocessable({ en: `header 'Idempotency-Key': '${key}' was already used for another request; send a new key for a new record`, es: `la clave Idempotency-Key '${key}' ya se usó para otra solicitud: envíe una nueva para un registro nuevo` });
      }
      if (seen) return JSON.parse(seen.body) as Record<string, unknown>;
    }
    const done = await api.wh.transaction(async () => {
      const a = await write();
      if (key !== undefined) {
        await api.wh.run(
          `insert into api_idempotency values ($1, $2, $3, $4, $5, ${UTC_NOW})`,
          [subject, key, hash, status, JSON.stringify(a)],
        );
      }
      return a;
    });
    await applyRecords(api);
    return done;
  });
  return answer;
}

/**
 * Publishes what was just recorded by running the one pipeline on what records change (the models
 * that read them, then scores with the stored risk model and the call list): the record reaches
 * the marts, the scores and the call list exactly as the next refresh would put it there, so
 * nothing computes it twice. The record is committed
 * already: when this fails, the next refresh applies it, and the answer still says it was recorded.
 */
async function applyRecords(api: ApiContext): Promise<void> {
  try {
    await runRefresh(api.wh, { trigger: 'record', score: 'stored', recordsOnly: true, dbPath: api.wh.path });
  } catch (err) {
    process.stderr.write(`api: a record was kept, but the refresh that publishes it failed (the next refresh will): ${(err as Error).message}\n`);
  }
}
