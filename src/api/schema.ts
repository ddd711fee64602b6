import type { Warehouse } from '../db/warehouse.ts';

/**
 * Now, as the UTC TIMESTAMP every moment in the warehouse is (the publications and refreshes are dated from
 * JavaScript's clock in UTC). DuckDB's `current_timestamp` as a TIMESTAMP is the machine's local time.
 */
export const UTC_NOW = "(current_timestamp at time zone 'UTC')";

/** The moments of the users' and keys' tables, as a listing titles them: they are UTC, and say so ('created (UTC)'). */
const MOMENTS = new Set(['created', 'password_changed', 'disabled_at', 'revoked_at']);
export const utcTitle = (column: string) => (MOMENTS.has(column) ? `${column} (UTC)` : column);

const DDL = [
  `create table if not exists api_tokens (
     token_id varchar primary key,
     name varchar not null,
     role varchar not null,
     collector varchar,
     key_hash varchar not null unique,
     created timestamp not null default ${UTC_NOW},
     revoked_at timestamp
   )`,
  `create table if not exists users (
     user_id varchar primary key,
     name varchar not null unique,
     role varchar not null,
     collector varchar,
     password_hash varchar not null,
     created timestamp not null default ${UTC_NOW},
     password_changed timestamp,
     disabled_at timestamp
   )`,
  // Only the sha256 of a session id is kept: a copy of the table signs nobody in.
  `create table if not exists sessions (
     session_hash varchar primary key,
     user_id varchar not null,
     created timestamp not null,
     last_seen timestamp not null,
     expires timestamp not null
   )`,
  `create table if not exists sql_audit (
     queried_at timestamp not null,
     token_id varchar,
     principal varchar,
     role varchar,
     sql varchar not null,
     params varchar,
     duration_ms integer,
     rows integer,
     status varchar not null,
     error varchar
   )`,
  // Answers to writes sent with an Idempotency-Key: a retry gets the stored answer instead of a second record.
  `create table if not exists api_idempotency (
     subject varchar not null,
     idempotency_key varchar not null,
     request_hash varchar not null,
     status integer not null,
     body varchar not null,
     created timestamp not null,
     primary key (subject, idempotency_key)
   )`,
];

/** Creates the API's own tables (`api_tokens`, `users`, `sessions`, `sql_audit`, `api_idempotency`) if they do not exist. */
export async function ensureApiSchema(wh: Pick<Warehouse, 'run'>): Promise<void> {
  for (const ddl of DDL) await wh.run(ddl);
}
