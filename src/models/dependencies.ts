import type { ModelFile } from './discover.ts';

/** SQL without comments and string literals, so names inside them do not count as reads. */
function codeOnly(sql: string): string {
  return sql
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''");
}

/** Names from `known` that the SQL mentions as identifiers. */
export function referencedNames(sql: string, known: Set<string>): Set<string> {
  const found = new Set<string>();
  for (const m of codeOnly(sql).matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    const word = m[0].toLowerCase();
    if (known.has(word)) found.add(word);
  }
  return found;
}

/**
 * Orders model files so each comes after every file whose relation or macro it mentions
 * (Kahn's algorithm, ties broken by name so the order is stable). Throws on a cycle, naming it.
 */
export function orderModels(models: ModelFile[]): ModelFile[] {
  const byProvided = new Map<string, ModelFile>();
  for (const m of models) {
    for (const p of m.provides) {
      const other = byProvided.get(p);
      if (other) throw new Error(`'${p}' is defined twice: ${other.path} and ${m.path}`);
      byProvided.set(p, m);
    }
  }
  const known = new Set(byProvided.keys());
  const deps = new Map<ModelFile, Set<ModelFile>>();
  for (const m of models) {
    const own = new Set(m.provides);
    const ds = new Set<ModelFile>();
    for (const name of referencedNames(m.sql, known)) if (!own.has(name)) ds.add(byProvided.get(name)!);
    deps.set(m, ds);
  }
  const ordered: ModelFile[] = [];
  const done = new Set<ModelFile>();
  let ready = models.filter((m) => deps.get(m)!.size === 0);
  while (ready.length) {
    ready.sort((a, b) => a.name.localeCompare(b.name));
    const next = ready.shift()!;
    ordered.push(next);
    done.add(next);
    for (const m of models) {
      if (done.has(m) || ready.includes(m)) continue;
      if ([...deps.get(m)!].every((d) => done.has(d))) ready.push(m);
    }
  }
  if (ordered.length < models.length) {
    const stuck = models.filter((m) => !done.has(m)).map((m) => m.name);
    throw new Error(`dependency cycle among models: ${stuck.join(', ')}`);
  }
  return ordered;
}

/** Direct dependencies of each model by name, for error messages and docs. */
export function dependencyMap(models: ModelFile[]): Map<string, string[]> {
  const known = new Set(models.flatMap((m) => m.provides));
  return new Map(
    models.map((m) => [m.name, [...referencedNames(m.sql, known)].filter((n) => !m.provides.includes(n)).sort()]),
  );
}
