import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requireRole } from '../auth.ts';
import type { ApiEnv } from '../env.ts';
import { isoDate } from '../params.ts';
import { notFound, requestFormats } from '../problem.ts';
import {
  conflict, dayField, idempotencyHeader, isoInstant, moneyField, newId, recordCollector, recorder, RECORDERS, recordWrite,
  scopedCustomer, timestampValue, unprocessable, workDay, createdResponses, updatedResponses,
} from '../record-writes.ts';
import { keyed } from '../responses.ts';
import { newRoutes } from '../router.ts';

/** `/api/promises`: promises to pay a collector records, and closing them. */
export const promiseRoutes = newRoutes();
promiseRoutes.use('*', requireRole(...RECORDERS));

/** A closed promise's status as the Spanish messages say it. */
const CLOSED_ES: Record<string, string> = { kept: 'cumplida', broken: 'incumplida' };

const currency = z.string().regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code');

const Promise_ = z.object({
  customer_id: z.string().min(1).max(200),
  invoice_id: z.string().min(1).max(200).optional().openapi({ description: 'the invoice promised; without one, the promise is on the account' }),
  promised_date: isoDate.openapi({ description: 'the day the customer promised to pay by' }),
  amount: moneyField("the amount promised, in the invoice's currency (or the account's, without an invoice)"),
  currency: currency.optional().openapi({ description: "must be the invoice's currency; needed without an invoice when the customer owes in several" }),
  note: z.string().max(2000).optional(),
  date: dayField("the day the promise was made (default: the call list's as-of date)"),
});

const Close = z.object({
  status: z.enum(['kept', 'broken']),
  note: z.string().max(2000).optional(),
  date: dayField("the day it was kept or broken (default: the call list's as-of date)"),
});

/** A recorded promise as the API answers it. */
async function promiseRow(c: Context<ApiEnv>, id: string) {
  const [row] = await c.var.api.wh.all(
    `select * exclude (recorded_by_subject, recorded_at, closed_status, closed_at),
       coalesce(closed_status, 'open') as status,
       ${isoInstant('recorded_at')} as recorded_at, ${isoInstant('closed_at')} as closed_at, 'cartera' as source
     from recorded_promises where promise_id = $1`,
    [id],
  );
  return row;
}

promiseRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['collections'],
    summary: "Records a promise to pay (date and amount, in the invoice's currency); it holds the customer off the call list until its date",
    security: keyed,
    request: { headers: idempotencyHeader, body: { required: true, content: { 'application/json': { schema: Promise_ } } } },
    responses: createdResponses( 'The promise as recorded, with who and when'),
  }),
  async (c) => {
    const b = c.req.valid('json');
    const body = await recordWrite(c, 201, b, async () => {
      const customer = await scopedCustomer(c, b.customer_id);
      const made = await workDay(c, b.date, 'date');
      const f = requestFormats(c);
      if (b.promised_date < made) {
        throw unprocessable({
          en: `body field 'promised_date': ${b.promised_date} is before the day the promise was made (${made})`,
          es: `la fecha prometida (${f.date(b.promised_date)}) es anterior al día en que se hizo la promesa (${f.date(made)})`,
        });
      }
      // What is open, per currency, on the invoice named or on the whole account.
      const open = await c.var.reads.rows<{ currency: string; ok: boolean }>(
        `select currency, sum(outstanding) >= $3::decimal(18, 2) as ok from fct_invoices
         where customer_id = $1 and outstanding > 0 and ($2::varchar is null or invoice_id = $2) group by currency order by currency`,
        [customer.customer_id, b.invoice_id ?? null, b.amount.toFixed(2)],
      );
      const where = b.invoice_id === undefined ? `customer '${customer.customer_id}'` : `invoice '${b.invoice_id}'`;
      const whereEs = b.invoice_id === undefined ? `el cliente ${customer.customer_id}` : `la factura ${b.invoice_id}`;
      if (!open.length) {
        throw unprocessable(b.invoice_id === undefined
          ? { en: `customer '${customer.customer_id}' has no open invoices to promise`, es: `el cliente ${customer.customer_id} no tiene facturas abiertas que prometer` }
          : { en: `body field 'invoice_id': '${b.invoice_id}' is not an open invoice of customer '${customer.customer_id}'`, es: `la factura ${b.invoice_id} no es una factura abierta del cliente ${customer.customer_id}` });
      }
      const asked = b.currency?.toUpperCase();
      const chosen = asked === undefined ? (open.length === 1 ? open[0] : undefined) : open.find((o) => o.currency === asked);
      if (!chosen) {
        const owed = open.map((o) => o.currency).join(', ');
        throw unprocessable(asked === undefined
          ? { en: `body field 'currency': customer '${customer.customer_id}' owes in ${owed}; name the invoice_id or the currency`, es: `el cliente ${customer.customer_id} debe en ${owed}: indique la factura o la moneda` }
          : { en: `body field 'currency': ${where} is in ${owed}, not ${asked}; a promise is in the invoice's currency`, es: `${whereEs} está en ${owed}, no en ${asked}: una promesa va en la moneda de la factura` });
      }
      if (!chosen.ok) {
        throw unprocessable({
          en: `body field 'amount': ${b.amount.toFixed(2)} ${chosen.currency} is more than ${where} has open in ${chosen.currency}`,
          es: `${f.moneyCode(b.amount.toFixed(2), chosen.currency)} es más de lo que ${whereEs} tiene abierto en ${chosen.currency}`,
        });
      }
      const who = recorder(c);
      const id = newId('PRM');
      await c.var.api.wh.run(
        `insert into recorded_promises (promise_id, customer_id, invoice_id, promise_date, promised_date, amount, currency, note, collector, recorded_by, recorded_by_subject, recorded_at)
         values ($1, $2, $3, $4::date, $5::date, $6::decimal(18, 2), $7, $8, $9, $10, $11, $12::timestamp)`,
        [id, customer.customer_id, b.invoice_id ?? null, made, b.promised_date, b.amount.toFixed(2), chosen.currency, b.note ?? null,
          recordCollector(c, customer), who.name, who.subject, timestampValue(who.at)],
      );
      return await promiseRow(c, id);
    });
    return c.json(body, 201);
  },
);

promiseRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['collections'],
    summary: 'Closes a promise recorded in Cartera as kept or broken',
    security: keyed,
    request: {
      params: z.object({ id: z.string().min(1).max(200) }),
      headers: idempotencyHeader,
      body: { required: true, content: { 'application/json': { schema: Close } } },
    },
    responses: updatedResponses( 'The promise, closed, with who closed it and when'),
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const b = c.req.valid('json');
    const body = await recordWrite(c, 200, { id, ...b }, async () => {
      const wh = c.var.api.wh;
      const missing = notFound({ en: `no promise with id '${id}'`, es: `no hay una promesa con id ${id}` });
      const rec = await wh.one<{ customer_id: string; closed_status: string | null }>(
        `select customer_id, closed_status from recorded_promises where promise_id = $1`,
        [id],
      );
      if (!rec) {
        const [imported] = await c.var.reads.rows<{ customer_id: string }>(`select customer_id from fct_promises where promise_id = $1`, [id]);
        if (!imported) throw missing;
        await scopedCustomer(c, imported.customer_id).catch(() => { throw missing; });
        throw conflict({ en: `promise '${id}' came from an ERP export: its status comes with the next export`, es: `la promesa ${id} viene de una exportación del ERP: su estado llega con la próxima exportación` });
      }
      await scopedCustomer(c, rec.customer_id).catch(() => { throw missing; });
      if (rec.closed_status) throw conflict({ en: `promise '${id}' is closed already (${rec.closed_status})`, es: `la promesa ${id} ya está cerrada (${CLOSED_ES[rec.closed_status] ?? rec.closed_status})` });
      const day = await workDay(c, b.date, 'date');
      const who = recorder(c);
      await wh.run(
        `update recorded_promises set closed_status = $2, closed_date = $3::date, close_note = $4, closed_by = $5, closed_at = $6::timestamp where promise_id = $1`,
        [id, b.status, day, b.note ?? null, who.name, timestampValue(who.at)],
      );
      return await promiseRow(c, id);
    });
    return c.json(body, 200);
  },
);
