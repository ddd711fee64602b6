import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../auth.ts';
import { collectorScope } from '../env.ts';
import { ApiError } from '../problem.ts';
import { keyed, tabularResponses } from '../responses.ts';
import { newRoutes } from '../router.ts';
import { sendTable } from '../tabular.ts';
import { CadenceError, dueReminderLines, loadCadences, nestReminders, parseDay, today, type ReminderLine } from '../../reminders/index.ts';

/** `/api/reminders`: the day's reminders by cadence, still to hand over to the tool that sends them. */
export const reminderRoutes = newRoutes();
reminderRoutes.use('*', requireRole('collections', 'admin'));

reminderRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['collections'],
    summary: "The day's reminders: one per customer and level, with contact, invoices, template key, language and send window",
    security: keyed,
    request: {
      query: z.object({
        date: z
          .string()
          .refine((s) => parseDay(s) !== undefined, 'must be a calendar day as YYYY-MM-DD')
          .optional()
          .openapi({ description: "the day (default: today, the server's local date)" }),
        collector: z.string().min(1).max(200).optional().openapi({ description: "one collector's customers (a collector sees only their own)" }),
        format: z.enum(['json', 'csv', 'xlsx']).default('json').openapi({ description: 'json: one object per reminder; csv, xlsx: one row per reminder and invoice' }),
      }),
    },
    responses: tabularResponses('The reminders not yet handed over (cartera reminders records those it hands over)', {
      date: z.string(),
      balances_as_of: z.string().openapi({ description: "the publication's as-of: the balances the reminders rest on (a customer who paid since is still in them)" }),
      count: z.number(),
    }),
  }),
  async (c) => {
    const q = c.req.valid('query');
    const day = q.date === undefined ? today() : parseDay(q.date)!;
    const collector = collectorScope(c, q.collector);
    let cadences;
    try {
      cadences = loadCadences();
    } catch (err) {
      // The cadences are the server's configuration: a mistake in them is not the caller's.
      if (err instanceof CadenceError) throw new ApiError(500, 'Internal server error', `the reminder cadences cannot be read: ${err.message}`);
      throw err;
    }
    const lines = await dueReminderLines((sql, params) => c.var.reads.result(sql, params), { day, cadences, collector });
    if (q.format !== 'json') return sendTable(c, lines, q.format, `reminders-${day}`);
    const data = nestReminders(lines.getRowObjectsJson() as ReminderLine[]);
    return c.json({ date: day, balances_as_of: (await c.var.reads.publication()).asOf, count: data.length, data });
  },
);
