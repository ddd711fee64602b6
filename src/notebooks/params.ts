import { dateValue, type DuckDBValue } from '@duckdb/node-api';
import { NotebookError, ParamError } from './errors.ts';

export const PARAM_TYPES = ['text', 'integer', 'number', 'date', 'boolean'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

/** One notebook parameter, declared in front matter. */
export interface ParamSpec {
  name: string;
  type: ParamType;
  /** As text, the way a caller would pass it; undefined makes the parameter required. */
  default?: string;
  description?: string;
  /** When set, the only accepted values. */
  options?: string[];
}

/** A parameter's value as shown in the report and as bound into DuckDB. */
export interface ResolvedParam {
  spec: ParamSpec;
  text: string;
  value: DuckDBValue;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function typeOfDefault(value: unknown): ParamType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return 'text';
}

/**
 * Reads the `params` mapping of front matter. Each entry is either a bare default
 * (`desde: 2024-01-01`) or `{type, default, description, options}`.
 */
export function parseParamSpecs(raw: unknown, source: string): ParamSpec[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new NotebookError(source, 'front matter params must be a mapping of name to default or {type, default, description}');
  return Object.entries(raw).map(([name, def]): ParamSpec => {
    if (!NAME.test(name)) throw new NotebookError(source, `parameter name '${name}' must be letters, digits and _`);
    const full: Record<string, unknown> = def && typeof def === 'object' && !Array.isArray(def) ? (def as Record<string, unknown>) : { default: def };
    const type = (full.type ?? typeOfDefault(full.default)) as ParamType;
    if (!PARAM_TYPES.includes(type)) throw new NotebookError(source, `parameter '${name}' has type '${String(full.type)}'; use one of ${PARAM_TYPES.join(', ')}`);
    const spec: ParamSpec = { name, type };
    if (full.default !== undefined && full.default !== null) spec.default = String(full.default);
    if (typeof full.description === 'string') spec.description = full.description;
    if (Array.isArray(full.options)) spec.options = full.options.map(String);
    if (spec.default !== undefined) {
      try {
        toDuckDB(spec, spec.default);
      } catch (err) {
        throw new NotebookError(source, `default of parameter '${name}': ${(err as Error).message}`);
      }
    }
    return spec;
  });
}

/** Checks one value as text against its declared type and converts it to what DuckDB binds. */
function toDuckDB(spec: ParamSpec, text: string): DuckDBValue {
  if (spec.options && !spec.options.includes(text)) {
    throw new ParamError(`parameter '${spec.name}' must be one of ${spec.options.join(', ')}; got '${text}'`);
  }
  switch (spec.type) {
    case 'text':
      return text;
    case 'integer':
      if (!/^-?\d{1,15}$/.test(text.trim())) throw new ParamError(`parameter '${spec.name}' must be a whole number; got '${text}'`);
      // BigInt binds as BIGINT, so LIMIT $n and integer comparisons need no cast.
      return BigInt(text.trim());
    case 'number': {
      const n = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(n)) throw new ParamError(`parameter '${spec.name}' must be a number; got '${text}'`);
      return n;
    }
    case 'boolean':
      if (!/^(true|false)$/i.test(text.trim())) throw new ParamError(`parameter '${spec.name}' must be true or false; got '${text}'`);
      return text.trim().toLowerCase() === 'true';
    case 'date': {
      const m = text.trim().match(/^(\d{4})-(\d{2})-(\d{2})$/);
      const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : undefined;
      if (!m || !d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) {
        throw new ParamError(`parameter '${spec.name}' must be a date YYYY-MM-DD; got '${text}'`);
      }
      // A DATE value, not text: comparisons with date columns need no cast in the SQL.
      return dateValue({ year: +m[1], month: +m[2], day: +m[3] });
    }
  }
}

/**
 * Merges given values over defaults and validates each against its declared type. A value for
 * a parameter the notebook does not declare, a missing required one, or a malformed one throws
 * ParamError.
 */
export function resolveParams(specs: ParamSpec[], given: Record<string, string>): Map<string, ResolvedParam> {
  const known = new Set(specs.map((s) => s.name));
  const unknown = Object.keys(given).filter((k) => !known.has(k));
  if (unknown.length) {
    const list = specs.length ? specs.map((s) => s.name).join(', ') : 'none';
    throw new ParamError(`unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}; this notebook takes: ${list}`);
  }
  const out = new Map<string, ResolvedParam>();
  for (const spec of specs) {
    const text = given[spec.name] ?? spec.default;
    if (text === undefined) throw new ParamError(`parameter '${spec.name}' is required${spec.description ? ` (${spec.description})` : ''}`);
    out.set(spec.name, { spec, text, value: toDuckDB(spec, text) });
  }
  return out;
}

// DuckDB infers a bound JS bigint as HUGEINT, which functions such as to_months() do not take:
// the placeholder carries the declared type so every function sees the type the author declared.
const SQL_CAST: Record<ParamType, string> = { text: '', integer: '::BIGINT', number: '::DOUBLE', date: '::DATE', boolean: '::BOOLEAN' };

/**
 * Turns `${name}` placeholders into DuckDB named parameters (`$name`, cast to the declared type)
 * and lists the names used, so values are bound, never pasted into SQL text. Placeholders inside comments are ignored;
 * one inside a quoted string is an error (it would be text, not the value). Throws for a
 * placeholder that names no declared parameter.
 *
 * @example
 *   bindPlaceholders("select * from t where segment = ${segmento} limit ${n}", new Map([['segmento', 'text'], ['n', 'integer']]))
 *   // { sql: 'select * from t where segment = $segmento limit ($n::BIGINT)', names: ['segmento', 'n'] }
 */
export function bindPlaceholders(sql: string, declared: Map<string, ParamType>): { sql: string; names: string[] } {
  const names = new Set<string>();
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    const two = sql.slice(i, i + 2);
    if (two === '--') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (two === '/*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === ch && sql[j + 1] !== ch)) j += sql[j] === ch ? 2 : 1;
      const quoted = sql.slice(i, j + 1);
      const inside = quoted.match(/\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/);
      if (inside) {
        throw new Error(`placeholder \${${inside[1]}} is inside quotes; write it bare (where x = \${${inside[1]}}): it is bound as a value`);
      }
      out += quoted;
      i = j + 1;
    } else if (two === '${') {
      const m = sql.slice(i).match(/^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/);
      if (!m) throw new Error(`malformed placeholder near '${sql.slice(i, i + 20)}'; write \${name}`);
      const type = declared.get(m[1]);
      if (!type) {
        const list = declared.size ? [...declared.keys()].join(', ') : 'none (declare params in the front matter)';
        throw new Error(`unknown parameter \${${m[1]}}; declared: ${list}`);
      }
      names.add(m[1]);
      out += type === 'text' ? `$${m[1]}` : `($${m[1]}${SQL_CAST[type]})`;
      i += m[0].length;
    } else {
      out += ch;
      i += 1;
    }
  }
  return { sql: out, names: [...names] };
}
