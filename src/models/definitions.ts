import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SQL_ROOT } from './discover.ts';

export interface Bilingual {
  es: string;
  en: string;
}

/** A column's name for people and what it means, in Spanish and English, as its model's `.yml` defines them. */
export interface ColumnDefinition {
  label: Bilingual;
  definition: Bilingual;
}

export interface ModelDefinition {
  description?: Bilingual;
  columns: Record<string, ColumnDefinition>;
}

interface ModelYml {
  description?: Bilingual;
  columns?: Record<string, ColumnDefinition>;
  /** Takes another model's column definitions (a per-dimension table of the same KPIs). */
  columns_like?: string;
}

const cache = new Map<string, ModelDefinition | undefined>();

/**
 * A model's definitions from its `.yml` beside it (`sql/<layer>/<model>.yml`): the one place each
 * KPI and column is defined, read by the API catalog, the dashboards' tooltips and exports, and
 * checked against the README by a test.
 *
 * @example
 *   modelDefinition('kpi_monthly')?.columns.dso_standard.label.es // 'DSO'
 */
export function modelDefinition(model: string, root: string = SQL_ROOT): ModelDefinition | undefined {
  const key = `${root}|${model}`;
  if (cache.has(key)) return cache.get(key);
  let found: ModelDefinition | undefined;
  for (const layer of ['marts', 'intermediate']) {
    const file = join(root, layer, `${model}.yml`);
    if (!existsSync(file)) continue;
    const y = (parse(readFileSync(file, 'utf8')) ?? {}) as ModelYml;
    const inherited = y.columns_like ? (modelDefinition(y.columns_like, root)?.columns ?? {}) : {};
    found = { description: y.description, columns: { ...inherited, ...(y.columns ?? {}) } };
    break;
  }
  cache.set(key, found);
  return found;
}

/** A KPI of `kpi_monthly`, by its column name. */
export function kpiDefinition(column: string): ColumnDefinition | undefined {
  return modelDefinition('kpi_monthly')?.columns[column];
}
