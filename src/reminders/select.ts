import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DuckDBResultReader } from '@duckdb/node-api';
import type { Params } from '../db/warehouse.ts';
import type { Cadences } from './cadence.ts';
import type { Day } from './day.ts';
import { reminderPlan } from './plan.ts';

const SQL = readFileSync(fileURLToPath(new URL('../../sql/reminders/due_reminders.sql', import.meta.url)), 'utf8');
/** Before the first hand-over there is no log to read: nothing was handed over. */
const NO_LOG = `select null::varchar as invoice_id, null::varchar as level where false`;

/** A read in one snapshot: the CLI's warehouse or an API request's reads. */
export type ReadResult = (sql: string, params?: Params) => Promise<DuckDBResultReader>;

export interface Selection {
  day: Day;
  cadences: Cadences;
  /** Only this collector's customers. */
  collector?: string;
}

/**
 * The reminder lines due on a day (sql/reminders/due_reminders.sql): one row per reminder and
 * invoice, typed as DuckDB returns them, for the tabular writers; `nestReminders` turns them into
 * one object per reminder.
 */
export async function dueReminderLines(read: ReadResult, s: Selection): Promise<DuckDBResultReader> {
  const logged = (await read(`select 1 from duckdb_tables() where schema_name = 'main' and table_name = 'reminder_invoices'`)).currentRowCount > 0;
  const sql = logged ? SQL : SQL.replace('select invoice_id, level from reminder_invoices', NO_LOG);
  return read(sql, { date: s.day, plan: reminderPlan(s.cadences, s.day), collector: s.collector ?? null });
}
