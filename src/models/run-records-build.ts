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

/**
 * The recorded tables with rows written since the last publication that rebuilt the models
 * reading them: a full build, or a records build that included the table's readers. A record
 * whose own publication failed is therefore taken up by the next records build, whatever it
 * writes; a re-scoring (which rebuilds no model) does not count. All of them when none shows a
 * change (nothing to go by: rebuild everything records touch).
 */
export async function recordedTablesChanged(wh: Warehouse, files: ModelFile[]): Promise<string[]> {
  const changed: string[] = [];
  for (const [table, columns] of Object.entries(RECORDED_WRITES)) {
    const readers = modelsReadingRecords(files, [table]).filter((f) => referencedNames(f.sql, new Set([table])).size > 0).map((f) => f.name);
    if (!readers.length) continue;
    // Names come from the constant above and the model files, never from input.
    const rebuiltThem = readers.map((_, i) => `list_contains(json_extract_string(models, '$[*].name'), $${i + 1})`).join(' and ');
    const written = await wh.scalar<boolean>(
      `with last_rebuilt as (
         select max(started) as started from builds where coalesce(kind, 'build') = 'build' or (kind = 'records' and ${rebuiltThem})
       )
       select exists (select 1 from ${table}, last_rebuilt where started is null or ${columns.map((c) => `${c} >= started`).join(' or ')})`,
      readers,
    );
    if (written) changed.push(table);
  }
  return changed.length ? changed : Object.keys(RECORDED_WRITES);
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
 * that read the recorded tables written since (`recordedTablesChanged`, `modelsReadingRecords`:
 * an activity rebuilds neither promises nor disputes) into a fresh schema, with
 * the current publication's options. They read every other model through `main`, that is, from
 * the publication being served; `extend` then scores there as a full build would. Publishing
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
  const rebuilt = orderModels(modelsReadingRecords(files, await recordedTablesChanged(wh, files)));
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
    extend: opts.extend,
  });
}
