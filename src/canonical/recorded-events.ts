import type { Warehouse } from '../db/warehouse.ts';

/**
 * The tables collectors' records are written to, each with the columns that say when a row was
 * written (recorded, or closed later): what a records build re-reads, and how it tells which changed.
 */
export const RECORDED_WRITES: Record<string, string[]> = {
  recorded_activities: ['recorded_at'],
  recorded_promises: ['recorded_at', 'closed_at'],
  recorded_disputes: ['recorded_at', 'resolved_at'],
};

/**
 * Tables of what collectors record in Cartera (contacts, promises to pay, disputes): sources of
 * their own beside the ERP's raw tables. Ingest never writes them and no refresh replaces them;
 * staging reads them (`stg_recorded_*`) and the intermediate `int_*_unioned` models put them next
 * to the imported events. Each row keeps who recorded it (`recorded_by`, the user's or key's name,
 * and `recorded_by_subject`, 'user:<name>' or 'key:<id>') and when (`recorded_at`, UTC).
 */
const DDL = [
  `create table if not exists recorded_activities (
     activity_id varchar primary key,
     customer_id varchar not null,
     invoice_id varchar,
     activity_date date not null,
     channel varchar not null,
     reached boolean not null,
     outcome varchar not null,
     note varchar,
     next_action_date date,
     collector varchar,
     recorded_by varchar not null,
     recorded_by_subject varchar not null,
     recorded_at timestamp not null
   )`,
  `create table if not exists recorded_promises (
     promise_id varchar primary key,
     customer_id varchar not null,
     invoice_id varchar,
     promise_date date not null,
     promised_date date not null,
     amount decimal(18, 2) not null,
     currency varchar not null,
     note varchar,
     collector varchar,
     recorded_by varchar not null,
     recorded_by_subject varchar not null,
     recorded_at timestamp not null,
     closed_status varchar,
     closed_date date,
     close_note varchar,
     closed_by varchar,
     closed_at timestamp
   )`,
  // One row per disputed invoice: a dispute may cover several, each with its share of the amount.
  `create table if not exists recorded_disputes (
     dispute_id varchar not null,
     invoice_id varchar not null,
     customer_id varchar not null,
     opened_date date not null,
     amount decimal(18, 2) not null,
     currency varchar not null,
     reason varchar not null,
     collector varchar,
     recorded_by varchar not null,
     recorded_by_subject varchar not null,
     recorded_at timestamp not null,
     resolved_date date,
     resolution varchar,
     resolved_by varchar,
     resolved_at timestamp,
     primary key (dispute_id, invoice_id)
   )`,
];

/** Creates the recorded-event tables if they do not exist (before a build, and before a write). */
export async function ensureRecordedTables(wh: Pick<Warehouse, 'run'>): Promise<void> {
  for (const ddl of DDL) await wh.run(ddl);
}
