import { listValue } from '@duckdb/node-api';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireRole } from '../auth.ts';
import type { ApiEnv } from '../env.ts';
import { notFound, requestFormats } from '../problem.ts';
import {
  conflict, dayField, idempotencyHeader, isoInstant, moneyField, newId, recordCollector, recorder, RECORDERS, recordWrite,
  scopedCustomer, timestampValue, unprocessable, workDay, createdResponses, updatedResponses,
} from '../record-writes.ts';
import { keyed } from '../responses.ts';
import { newRoutes } from '../router.ts';

/** `/api/disputes`: disputes a collector records (invoices, amount, reason), and resolving them. */
export const disputeRoutes = newRoutes();
disputeRoutes.use('*', requireRole(...RECORDERS));

const Dispute = z.object({
  customer_id: z.string().min(1).max(200),
  invoice_ids: z
    .array(z.string().min(1).max(200))
    .min(1)
    .max(100)
    .refine((ids) => new Set(ids).size === ids.length, 'must not name an invoice twice')
    .openapi({ description: "the customer's open invoices in dispute, all in one currency" }),
  amount: moneyField('the amount in dispute, in the invoices\' currency; shared among the invoices in the order given, each up to its open balance'),
  reason: z.string().min(1).max(500),
  date: dayField("the day the dispute was raised (default: the call list's as-of date)"),
});

const Resolve = z.object({
  status: z.enum(['resolved']),
  resolution: z.string().max(2000).optional().openapi({ description: 'how it was resolved (credit note, corrected invoice, rejected...)' }),
  date: dayField("the day it was resolved (default: the call list's as-of date)"),
});

/** A recorded dispute as the API answers it: one object over its invoices. */
async function disputeRow(c: Context<ApiEnv>, id: string) {
  const [row] = await c.var.api.wh.all(
    `select dispute_id, any_value(customer_id) as customer_id, list(invoice_id order by invoice_id) as invoice_ids,
       sum(amount) as amount, any_value(currency) as currency, any_value(reason) as reason, any_value(opened_date) as opened_date,
       case when any_value(resolved_date) is null then 'open' else 'resolved' end as status,
       any_value(resolved_date) as resolved_date, any_value(resolution) as resolution, any_value(resolved_by) as resolved_by,
       any_value(${isoInstant('resolved_at')}) as resolved_at,
       any_value(collector) as collector, any_value(recorded_by) as recorded_by, any_value(${isoInstant('recorded_at')}) as recorded_at,
       'cartera' as source
     from recorded_disputes where dispute_id = $1 group by dispute_id`,
    [id],
  );
  return row;
}

disputeRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['collections'],
    summary: 'Records a dispute (invoices, amount, reason): the invoices leave collection for dispute handling',
    security: keyed,
    request: { headers: idempotencyHeader, body: { required: true, content: { 'application/json': { schema: Dispute } } } },
    responses: createdResponses( 'The dispute as recorded, with who and when'),
  }),
  async (c) => {
    const b = c.req.valid('json');
    const body = await recordWrite(c, 201, b, async () => {
      const customer = await scopedCustomer(c, b.customer_id);
      const opened = await workDay(c, b.date, 'date');
      const open = await c.var.reads.rows<{ invoice_id: string; currency: string; cents: string }>(
        `select invoice_id, currency, (outstanding * 100)::bigint::varchar as cents from fct_invoices
         where customer_id = $1 and outstanding > 0 and list_contains($2::varchar[], invoice_id)`,
        [customer.customer_id, listValue(b.invoice_ids)],
      );
      const byId = new Map(open.map((o) => [o.invoice_id, o]));
      const stray = b.invoice_ids.filter((i) => !byId.has(i));
      if (stray.length) throw unprocessable({ en: `body field 'invoice_ids': not an open invoice of customer '${customer.customer_id}': ${stray.join(', ')}`, es: `no son facturas abiertas del cliente ${customer.customer_id}: ${stray.join(', ')}` });
      const currencies = [...new Set(open.map((o) => o.currency))];
      if (currencies.length > 1) throw unprocessable({ en: `body field 'invoice_ids': the invoices are in ${currencies.join(', ')}; record one dispute per currency`, es: `las facturas están en ${currencies.join(', ')}: registre una disputa por moneda` });
      const openCents = open.reduce((s, o) => s + Number(o.cents), 0);
      let left = Math.round(b.amount * 100);
      if (left > openCents) {
        const f = requestFormats(c);
        throw unprocessable({
          en: `body field 'amount': ${b.amount.toFixed(2)} ${currencies[0]} is more than the invoices have open (${(openCents / 100).toFixed(2)})`,
          es: `${f.moneyCode(b.amount.toFixed(2), currencies[0])} es más de lo que las facturas tienen abierto (${f.moneyCode((openCents / 100).toFixed(2), currencies[0])})`,
        });
      }
      const who = recorder(c);
      const id = newId('DSP');
      for (const invoice of b.invoice_ids) {
        const share = Math.min(left, Number(byId.get(invoice)!.cents));
        left -= share;
        await c.var.api.wh.run(
          `insert into recorded_disputes (dispute_id, invoice_id, customer_id, opened_date, amount, currency, reason, collector, recorded_by, recorded_by_subject, recorded_at)
           values ($1, $2, $3, $4::date, $5::decimal(18, 2), $6, $7, $8, $9, $10, $11::timestamp)`,
          [id, invoice, customer.customer_id, opened, (share / 100).toFixed(2), currencies[0], b.reason, recordCollector(c, customer),
            who.name, who.subject, timestampValue(who.at)],
        );
      }
      return { ...(await disputeRow(c, id)), invoice_ids: b.invoice_ids };
    });
    return c.json(body, 201);
  },
);

disputeRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['collections'],
    summary: 'Resolves a dispute recorded in Cartera: its invoices go back to collection',
    security: keyed,
    request: {
      params: z.object({ id: z.string().min(1).max(200) }),
      headers: idempotencyHeader,
      body: { required: true, content: { 'application/json': { schema: Resolve } } },
    },
    responses: updatedResponses( 'The dispute, resolved, with who resolved it and when'),
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const b = c.req.valid('json');
    const body = await recordWrite(c, 200, { id, ...b }, async () => {
      const wh = c.var.api.wh;
      const missing = notFound({ en: `no dispute with id '${id}'`, es: `no hay una disputa con id ${id}` });
      const rec = await wh.one<{ customer_id: string; resolved: boolean }>(
        `select any_value(customer_id) as customer_id, bool_or(resolved_date is not null) as resolved from recorded_disputes where dispute_id = $1 group by dispute_id`,
        [id],
      );
      if (!rec) {
        const [imported] = await c.var.reads.rows<{ customer_id: string }>(`select customer_id from fct_disputes where dispute_id = $1`, [id]);
        if (!imported) throw missing;
        await scopedCustomer(c, imported.customer_id).catch(() => { throw missing; });
        throw conflict({ en: `dispute '${id}' came from an ERP export: its resolution comes with the next export`, es: `la disputa ${id} viene de una exportación del ERP: su resolución llega con la próxima exportación` });
      }
      await scopedCustomer(c, rec.customer_id).catch(() => { throw missing; });
      if (rec.resolved) throw conflict({ en: `dispute '${id}' is resolved already`, es: `la disputa ${id} ya está resuelta` });
      const day = await workDay(c, b.date, 'date');
      const who = recorder(c);
      await wh.run(
        `update recorded_disputes set resolved_date = $2::date, resolution = $3, resolved_by = $4, resolved_at = $5::timestamp where dispute_id = $1`,
        [id, day, b.resolution ?? null, who.name, timestampValue(who.at)],
      );
      const row = (await disputeRow(c, id))!;
      return row;
    });
    return c.json(body, 200);
  },
);
