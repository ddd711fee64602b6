import type { Warehouse } from '../db/warehouse.ts';

const DDL = [
  `create table if not exists api_tokens (
     token_id varchar primary key,
     name varchar not null,
     role varchar not null,
     collector varchar,
     key_hash varchar not null unique,
     created timestamp not null default current_timestamp,
     revoked_at timestamp
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
];

/** Creates the API's own tables (`api_tokens`, `sql_audit`) if they do not exist. */
export async function ensureApiSchema(wh: Warehouse): Promise<void> {
  for (const ddl of DDL) await wh.run(ddl);
}
