import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../auth.ts';
import {
  dayField, idempotencyHeader, isoInstant, newId, recordCollector, recorder, RECORDERS, recordWrite, scopedCustomer,
  timestampValue, unprocessable, workDay, createdResponses, updatedResponses,
} from '../record-writes.ts';
import { isoDate } from '../params.ts';
import { requestFormats } from '../problem.ts';
import { keyed } from '../responses.ts';
import { newRoutes } from '../router.ts';

/** `/api/activities`: a contact with a customer, as the collector records it. */
export const activityRoutes = newRoutes();
activityRoutes.use('*', requireRole(...RECORDERS));

const CHANNELS = ['call', 'email', 'visit', 'letter', 'sms', 'whatsapp'] as const;
/** Outcomes of a contact that reached the customer, and of one that did not ('other' fits both). */
const REACHED = ['promise', 'paid', 'refused', 'callback', 'dispute', 'other'];
const NOT_REACHED = ['no_answer', 'left_message', 'wrong_contact', 'other'];
const OUTCOMES = [...new Set([...REACHED, ...NOT_REACHED])] as [string, ...string[]];

const Activity = z.object({
  customer_id: z.string().min(1).max(200),
  invoice_id: z.string().min(1).max(200).optional().openapi({ description: 'the invoice the contact was about, if one' }),
  channel: z.enum(CHANNELS),
  reached: z.boolean().openapi({ description: 'whether the customer was reached' }),
  outcome: z.enum(OUTCOMES),
  note: z.string().max(2000).optional(),
  next_action_date: isoDate.optional().openapi({ description: 'when to follow up (on or after the contact)' }),
  date: dayField("the day of the contact (default: the call list's as-of date)"),
});

activityRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['collections'],
    summary: 'Records a contact: channel, reached or not, outcome, note, next action date',
    security: keyed,
    request: { headers: idempotencyHeader, body: { required: true, content: { 'application/json': { schema: Activity } } } },
    responses: createdResponses( 'The contact as recorded, with who and when'),
  }),
  async (c) => {
    const b = c.req.valid('json');
    const body = await recordWrite(c, 201, b, async () => {
      const customer = await scopedCustomer(c, b.customer_id);
      const day = await workDay(c, b.date, 'date');
      if (!(b.reached ? REACHED : NOT_REACHED).includes(b.outcome)) {
        throw unprocessable({
          en: `body field 'outcome': '${b.outcome}' does not fit reached = ${b.reached}; use one of ${(b.reached ? REACHED : NOT_REACHED).join(', ')}`,
          es: `el resultado '${b.outcome}' no corresponde a un contacto ${b.reached ? 'logrado' : 'no logrado'}; use uno de ${(b.reached ? REACHED : NOT_REACHED).join(', ')}`,
        });
      }
      if (b.next_action_date !== undefined && b.next_action_date < day) {
        throw unprocessable({ en: `body field 'next_action_date': ${b.next_action_date} is before the contact (${day})`, es: `la próxima gestión (${requestFormats(c).date(b.next_action_date)}) es anterior al contacto (${requestFormats(c).date(day)})` });
      }
      if (b.invoice_id !== undefined) {
        const [inv] = await c.var.reads.rows(`select 1 from fct_invoices where invoice_id = $1 and customer_id = $2`, [b.invoice_id, customer.customer_id]);
        if (!inv) throw unprocessable({ en: `body field 'invoice_id': '${b.invoice_id}' is not an invoice of customer '${customer.customer_id}'`, es: `la factura ${b.invoice_id} no es del cliente ${customer.customer_id}` });
      }
      const who = recorder(c);
      const id = newId('ACT');
      const wh = c.var.api.wh;
      await wh.run(
        `insert into recorded_activities values ($1, $2, $3, $4::date, $5, $6, $7, $8, $9::date, $10, $11, $12, $13::timestamp)`,
        [id, customer.customer_id, b.invoice_id ?? null, day, b.channel, b.reached, b.outcome, b.note ?? null, b.next_action_date ?? null,
          recordCollector(c, customer), who.name, who.subject, timestampValue(who.at)],
      );
      const [row] = await wh.all(
        `select * exclude (recorded_by_subject, recorded_at), ${isoInstant('recorded_at')} as recorded_at, 'cartera' as source
         from recorded_activities where activity_id = $1`,
        [id],
      );
      return row;
    });
    return c.json(body, 201);
  },
);
