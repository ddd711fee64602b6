import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the model files live: `sql/` at the repository root. */
export const SQL_ROOT = resolve(fileURLToPath(import.meta.url), '../../../sql');

/** Build order of the layers; macros are ordered among intermediate and marts by what they read. */
export const LAYERS = ['staging', 'intermediate', 'marts', 'macros'] as const;
export type Layer = (typeof LAYERS)[number];

/**
 * How a model is materialised. Staging is a view (always fresh over raw tables, no copy).
 * Intermediate and marts are tables by default: intermediate models are read by several marts
 * and by `aging_at`, which must answer in under a second, so re-running their SQL on every read
 * is not affordable. An intermediate model or a mart may say otherwise in its header with a line
 * `-- materialized: view (why)`, e.g. a plain union or filter of tables, where a copy only costs a write,
 * or `-- materialized: ephemeral (why)`: a temporary table while the build runs (in memory, spilling to
 * disk past the memory limit; no compressed copy written to the warehouse file), published as a view of
 * its SQL so analysts can still query it. For large models that only other models read.
 */
export type Materialization = 'view' | 'table' | 'ephemeral' | 'macro';

export interface ModelFile {
  /** The file's name without `.sql`; for models, the relation it creates. */
  name: string;
  layer: Layer;
  path: string;
  sql: string;
  materialized: Materialization;
  /** Relation or macro names this file creates (a macro file may define several macros). */
  provides: string[];
}

const MACRO_NAME = /create\s+(?:or\s+replace\s+)?(?:temp\s+|temporary\s+)?macro\s+([a-z_][a-z0-9_]*)/gi;

/** Lists every model and macro file under `root`, in a stable order. */
export function discoverModels(root: string = SQL_ROOT): ModelFile[] {
  const out: ModelFile[] = [];
  for (const layer of LAYERS) {
    let files: string[];
    try {
      files = readdirSync(join(root, layer));
    } catch {
      continue;
    }
    for (const file of files.filter((f) => f.endsWith('.sql')).sort()) {
      const path = join(root, layer, file);
      const name = basename(file, '.sql');
      const sql = readFileSync(path, 'utf8').trim().replace(/;\s*$/, '');
      const declared = /^--\s*materialized:\s*(view|table|ephemeral)\b/im.exec(sql)?.[1] as Exclude<Materialization, 'macro'> | undefined;
      if (declared && layer !== 'intermediate' && layer !== 'marts') {
        throw new Error(`${path}: only intermediate models and marts choose how they are materialised`);
      }
      // A mart is what the API and analysts read: re-running its SQL on every read is never what it is for.
      if (declared === 'ephemeral' && layer !== 'intermediate') {
        throw new Error(`${path}: only intermediate models can be ephemeral`);
      }
      const materialized: Materialization = layer === 'macros' ? 'macro' : layer === 'staging' ? 'view' : (declared ?? 'table');
      const provides = layer === 'macros' ? [...sql.matchAll(MACRO_NAME)].map((m) => m[1].toLowerCase()) : [name];
      if (layer === 'macros' && provides.length === 0) throw new Error(`${path}: a macro file must create at least one macro`);
      out.push({ name, layer, path, sql, materialized, provides });
    }
  }
  return out;
}
