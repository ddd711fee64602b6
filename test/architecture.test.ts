import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The house's shape, checked: data flows one way through the modules of `src/`, and the layers
 * that serve people (api, dashboards, notebooks, risk) read published marts, never the raw,
 * staging or intermediate relations behind them.
 */
const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

/** What each module of `src/` may import (besides itself). Anything else reaches back up. */
const ALLOWED: Record<string, string[]> = {
  types: [],
  db: [],
  // The one formatter of every surface (no imports: the pages run it too).
  locale: [],
  canonical: ['db'],
  render: ['locale'],
  generate: ['db', 'canonical'],
  ingest: ['db', 'canonical', 'types'],
  models: ['db', 'canonical'],
  risk: ['db', 'locale'],
  reminders: ['db', 'canonical'],
  statements: ['db', 'locale'],
  pipeline: ['db', 'canonical', 'ingest', 'models', 'risk'],
  api: ['db', 'canonical', 'ingest', 'models', 'pipeline', 'risk', 'reminders', 'statements', 'render', 'locale'],
  dashboards: ['db', 'api', 'models', 'risk', 'render', 'locale'],
  // Month-end reports: the aging and KPIs as the CFO page states them, drawn with the statements' kit, mounted by the web shell.
  reports: ['db', 'api', 'dashboards', 'models', 'statements', 'locale'],
  notebooks: ['db', 'api', 'render', 'locale'],
  web: ['db', 'api', 'dashboards', 'notebooks', 'pipeline', 'reports'],
  // The command line is the other composition root: `cli/` dispatches to `commands/`, which use `cli/`'s helpers.
  cli: ['db', 'commands'],
  commands: ['cli', 'db', 'canonical', 'generate', 'ingest', 'models', 'risk', 'pipeline', 'api', 'dashboards', 'notebooks', 'reminders', 'statements', 'render', 'web', 'reports', 'locale'],
};

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && ext.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** The module a file of `src/` belongs to: its first folder (`cli.ts` belongs to `cli`). */
const moduleOf = (file: string) => {
  const parts = relative(SRC, file).split('/');
  return parts.length === 1 ? parts[0].replace(/\.ts$/, '') : parts[0];
};

describe('architecture', () => {
  it('every import goes down the flow: no module imports one that mounts or calls it', () => {
    const wrong: string[] = [];
    for (const file of files(SRC, /\.ts$/)) {
      const from = moduleOf(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = moduleOf(join(file, '..', m[1]));
        if (target === from) continue;
        if (!(ALLOWED[from] ?? []).includes(target)) wrong.push(`${relative(ROOT, file)} imports ${m[1]} (${from} -> ${target})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('knows every module of src/', () => {
    const modules = new Set(files(SRC, /\.ts$/).map(moduleOf));
    expect([...modules].filter((m) => !(m in ALLOWED))).toEqual([]);
  });

  it('api, dashboards, notebooks and risk read marts only: never raw_*, stg_* or int_*', () => {
    const readers = [
      ...['api', 'dashboards', 'notebooks', 'risk', 'reminders', 'statements', 'reports'].flatMap((m) => files(join(SRC, m), /\.(ts|js)$/)),
      ...files(join(ROOT, 'sql/risk'), /\.sql$/),
      ...files(join(ROOT, 'sql/reminders'), /\.sql$/),
      ...files(join(ROOT, 'dashboards'), /\.ya?ml$/),
      ...files(join(ROOT, 'notebooks'), /\.md$/),
    ];
    const reads: string[] = [];
    for (const file of readers) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:raw|stg|int)_[a-z][a-z0-9_]*/g)) reads.push(`${relative(ROOT, file)}: ${m[0]}`);
    }
    expect(reads).toEqual([]);
  });
});
