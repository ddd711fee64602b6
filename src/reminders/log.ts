/**
 * Which invoices each handed-over reminder covered (the reminder itself is an activity in
 * `recorded_activities`, channel 'reminder'). Cartera's own table, like the recorded events:
 * ingest never writes it and no refresh replaces it. The key makes a level impossible to hand
 * over twice for the same invoice.
 */
export const REMINDER_INVOICES_DDL = `create table if not exists reminder_invoices (
  activity_id varchar not null,
  invoice_id varchar not null,
  level varchar not null,
  template_key varchar not null,
  primary key (invoice_id, level)
)`;
