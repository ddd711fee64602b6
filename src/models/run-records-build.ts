import type { Warehouse } from '../db/warehouse.ts';
import { RECORDED_WRITES, ensureRecordedTables } from '../canonical/recorded-events.ts';
import { buildIntoSchema } from './build-schema.ts';
import { currentPublication } from './builds-table.ts';
import { dependencyMap, orderModels, referencedNames } from './dependencies.ts';
import { discoverModels, SQL_ROOT, type ModelFile } from './discover.ts';
import type { BuildResult, RunBuildOptions } from './run-build.ts';

/**
 * The models records in `tables` can change: those that read one of them, and every model that
 * reads one of those, however indirectly (by the same reading of the SQL that orders a build).
 * Macros are left out: publishing re-creates them all.
 */
export function modelsReadingRecords(files: ModelFile[], tables: string[] = Object.keys(RECORDED_WRITES)): ModelFile[] {
  const deps = dependencyMap(files);
  const recorded = new Set(tables);
  const changed = new Set(files.filter((f) => f.layer !== 'macros' && referencedNames(f.sql, recorded).size > 0).map((f) => f.name));
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of files) {
      if (f.layer === 'macros' || changed.has(f.name)) continue;
      if ((deps.get(f.name) ?? []).some((d) => changed.has(d))) {
        changed.add(f.name);
        grew = true;
      }
    }
  }
  return files.filter((f) => changed.has(f.name));
}

/** What collectors wrote since it was last published: the recorded tables, and the customers they are about. */
export interface RecordedChanges {
  tables: string[];
  /** Undefined when no change shows (nothing to go by): then everything records touch is redone. */
  customers?: string[];
}

/**
 * The recorded tables with rows written since the last publication that rebuilt the models
 * reading them (a full build, or a records build that included the table's readers; a
 * re-scoring rebuilds no model and does not count), and the customers of those rows. A record
 * whose own publication failed is therefore taken up by the next records build, whatever it
 * writes. Every table, and no customer list, when none shows a change.
 */
export async function recordedChanges(wh: Warehouse, files: ModelFile[]): Promise<RecordedChanges> {
  const tables: string[] = [];
  const customers = new Set<string>();
  for (const [table, columns] of Object.entries(RECORDED_WRITES)) {
    const readers = files.filter((f) => f.layer !== 'macros' && referencedNames(f.sql, new Set([table])).size > 0).map((f) => f.name);
    if (!readers.length) continue;
    const rebuiltThem = readers.map((_, i) => `list_contains(json_extract_string(models, '$[*].name'), $${i + 1})`).join(' and ');
    // Names come from the constant above and the model files, never from input.
    const rows = await wh.all<{ customer_id: string }>(
      `with last_rebuilt as (
         select max(started) as started from builds where coalesce(kind, 'build') = 'build' or (kind = 'records' and ${rebuiltThem})
       )
       select distinct customer_id from ${table}, last_rebuilt where started is null or ${columns.map((c) => `${c} >= started`).join(' or ')}`,
      readers,
    );
    if (!rows.length) continue;
    tables.push(table);
    for (const r of rows) customers.add(r.customer_id);
  }
  return tables.length ? { tables, customers: [...customers].sort() } : { tables: Object.keys(RECORDED_WRITES) };
}

/**
 * Whether a records build can stand in for a full one: something is published, and it serves
 * every model of this code (a model added since the last full build is absent until the next one,
 * and a records build that reads it would fail).
 */
export async function canBuildRecordsOnly(wh: Warehouse, sqlRoot = SQL_ROOT): Promise<boolean> {
  if (!(await currentPublication(wh))) return false;
  const views = new Set(
    (await wh.all<{ name: string }>(`select view_name as name from duckdb_views() where schema_name = 'main' and not internal`)).map((v) => v.name),
  );
  return discoverModels(sqlRoot).every((f) => f.layer === 'macros' || views.has(f.name));
}

/**
 * Publishes what collectors recorded since the current publication, rebuilding only the models
 * that read the recorded tables written since (`recordedChanges`, `modelsReadingRecords`:
 * an activity rebuilds neither promises nor disputes) into a fresh schema, with
 * the current publication's options. They read every other model through `main`, that is, from
 * the publication being served; `extend` then scores there, told which customers the records are
 * about (only their features can have moved). Publishing
 * points `main`'s views of those models (and of what `extend` made) at the new schema and keeps
 * the schemas that serve the rest, in one transaction, so readers see the publication before or
 * after it, never a mix. The outcome equals a full build's, since records change no build option
 * (the as-of of `latest` comes from the exports); test/api/records.test.ts checks it relation by
 * relation. Throws when nothing is published yet: the first publication is a full build.
 *
 * @example
 *   const r = await runRecordsBuild(wh, { extend: async ({ schema }) => ({}) });
 */
export async function runRecordsBuild(wh: Warehouse, opts: Pick<RunBuildOptions, 'onModel' | 'extend' | 'sqlRoot'> = {}): Promise<BuildResult> {
  const current = await currentPublication(wh);
  if (!current) throw new Error('nothing is published yet: run a full build first');
  const files = discoverModels(opts.sqlRoot ?? SQL_ROOT);
  await ensureRecordedTables(wh);
  const changes = await recordedChanges(wh, files);
  const rebuilt = orderModels(modelsReadingRecords(files, changes.tables));
  return buildIntoSchema(wh, {
    fill: async (step) => {
      for (const f of rebuilt) await step(f);
      return current.options;
    },
    ephemeral: rebuilt.filter((f) => f.materialized === 'ephemeral'),
    macros: files.filter((f) => f.materialized === 'macro'),
    kind: 'records',
    record: { requested: current.requested },
    beside: true,
    onModel: opts.onModel,
    extend: opts.extend && ((built) => opts.extend!({ ...built, customers: changes.customers })),
  });
}
