import { createRoute, z } from '@hono/zod-openapi';
import { READERS, requireRole } from '../auth.ts';
import { cachedGet } from '../caching.ts';
import { modelDefinition } from '../../models/definitions.ts';
import { ANALYST_RELATIONS } from '../analyst-relations.ts';
import { CATALOG_DESCRIPTIONS } from '../catalog-descriptions.ts';
import { jsonResponses, keyed } from '../responses.ts';
import { newRoutes } from '../router.ts';

/** `/api/catalog`: what analysts can query, with columns, types and meanings. */
export const catalogRoutes = newRoutes();
catalogRoutes.use('*', requireRole(...READERS.analysts), cachedGet);

/** Marts analysts may read: the mart prefixes, and the risk and build tables. Raw, staging and API tables are not listed. */

/** A call of each published macro, to learn its columns. */
const MACRO_CALLS: Record<string, string> = {
  aging_at: 'aging_at(current_date)',
  aging_with: "aging_with(current_date, 'due', [30, 60, 90, 120])",
};

const Bilingual = z.object({ es: z.string(), en: z.string() });
const Column = z.object({
  name: z.string(),
  type: z.string(),
  description: z.string().nullable(),
  /** Where the model's .yml defines the column: its label and definition in Spanish and English. */
  label: Bilingual.optional(),
  definition: Bilingual.optional(),
});
const Relation = z.object({
  name: z.string(),
  kind: z.enum(['table', 'view', 'macro']),
  description: z.string().nullable(),
  columns: z.array(Column),
  parameters: z.array(z.string()).optional(),
});

catalogRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['analysts'],
    summary: 'Tables, views and table macros analysts can query, with columns, types and descriptions',
    security: keyed,
    responses: jsonResponses('The catalog', z.object({ relations: z.array(Relation) })),
  }),
  async (c) => {
    const r = await c.var.reads.result(
      `with rel as (
         select table_name as name, 'table' as kind from duckdb_tables() where schema_name = 'main' and not temporary
         union all select view_name, 'view' from duckdb_views() where schema_name = 'main' and not internal
       )
       select rel.name, rel.kind,
         list({'name': col.column_name, 'type': col.data_type} order by col.column_index) as columns
       from rel join duckdb_columns() col on col.table_name = rel.name and col.schema_name = 'main'
       where ${ANALYST_RELATIONS}
       group by all
       union all
       select function_name, 'macro', []
       from duckdb_functions() where function_type = 'table_macro' and schema_name = 'main' and not internal
         and function_name in ('aging_at', 'aging_with')
       order by 1`,
    );
    const macroParams = await c.var.reads.result(
      `select function_name, parameters from duckdb_functions() where function_type = 'table_macro' and schema_name = 'main'`,
    );
    const params = new Map((macroParams.getRowsJson() as [string, string[]][]).map(([n, p]) => [n, p]));
    const macroColumns = new Map<string, { name: string; type: string }[]>();
    for (const [name, call] of Object.entries(MACRO_CALLS)) {
      if (!(await c.var.reads.publication()).relations.has(name)) continue;
      // DESCRIBE only binds the call: the columns without computing a row.
      const d = await c.var.reads.result(`select column_name, column_type from (describe select * from ${call})`);
      macroColumns.set(name, (d.getRowsJson() as [string, string][]).map(([n, t]) => ({ name: n, type: t })));
    }
    const relations = (r.getRowObjectsJson() as { name: string; kind: 'table' | 'view' | 'macro'; columns: { name: string; type: string }[] }[]).map(
      (rel) => {
        const doc = CATALOG_DESCRIPTIONS[rel.name];
        const defined = modelDefinition(rel.name);
        return {
          name: rel.name,
          kind: rel.kind,
          description: defined?.description?.en ?? doc?.description ?? null,
          columns: (macroColumns.get(rel.name) ?? rel.columns).map((col) => ({
            ...col,
            description: defined?.columns[col.name]?.definition.en ?? doc?.columns?.[col.name] ?? null,
            ...(defined?.columns[col.name] ? { label: defined.columns[col.name].label, definition: defined.columns[col.name].definition } : {}),
          })),
          ...(rel.kind === 'macro' ? { parameters: params.get(rel.name) ?? [] } : {}),
        };
      },
    );
    return c.json({ relations }, 200);
  },
);
