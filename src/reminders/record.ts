import { ensureRecordedTables } from '../canonical/recorded-events.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { REMINDER_INVOICES_DDL } from './log.ts';
import type { Reminder } from './nest.ts';

/** Who handed the reminders over, as recorded_activities keeps it. */
export interface HandOver {
  /** Where they went, for the activity's note: 'webhook https://...', 'file /path/x.csv', 'stdout'. */
  to: string;
  by: string;
  subject: string;
}

/**
 * Records handed-over reminders as contacts, the way `POST /api/activities` records one (same
 * table, same columns, who and when): one activity per reminder (channel 'reminder', outcome
 * 'handed_over', not reached: Cartera does not know whether it was read), its invoices in
 * reminder_invoices. All or nothing, in one transaction; a level already handed over for one of
 * the invoices fails the whole of it on the key, so it can never count twice. Nothing is
 * published: the next refresh brings the activities into fct_activities, and the selection reads
 * the log directly meanwhile.
 */
export async function recordHandOver(wh: Warehouse, reminders: Reminder[], h: HandOver): Promise<void> {
  if (!reminders.length) return;
  await ensureRecordedTables(wh);
  await wh.run(REMINDER_INVOICES_DDL);
  const rows = reminders.map((r) => {
    const invoices = r.invoices.map((i) => i.invoice_id);
    return {
      id: r.reminder_id,
      customer_id: r.customer_id,
      invoice_id: invoices.length === 1 ? invoices[0] : null,
      day: r.date,
      note: `${r.level_label} (${r.template_key}, ${r.language}): ${invoices.join(', ')}; to ${h.to}`,
      collector: r.collector,
      level: r.level,
      template_key: r.template_key,
      invoices,
    };
  });
  // One statement per table (a row at a time took seconds for a day of the demo's reminders).
  const source = `select unnest(from_json($rows::json, '[{"id": "VARCHAR", "customer_id": "VARCHAR", "invoice_id": "VARCHAR", "day": "DATE",
    "note": "VARCHAR", "collector": "VARCHAR", "level": "VARCHAR", "template_key": "VARCHAR", "invoices": ["VARCHAR"]}]'), recursive := true)`;
  const params = { rows: JSON.stringify(rows), by: h.by, subject: h.subject, at: new Date().toISOString().replace('T', ' ').replace('Z', '') };
  await wh.transaction(async () => {
    await wh.run(
      `insert into recorded_activities
       select id, customer_id, invoice_id, day, 'reminder', false, 'handed_over', note, null, collector, $by, $subject, $at::timestamp
       from (${source})`,
      params,
    );
    await wh.run(`insert into reminder_invoices select id, unnest(invoices), level, template_key from (${source})`, { rows: params.rows });
  });
}
