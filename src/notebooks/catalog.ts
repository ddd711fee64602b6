import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseNotebook, type Notebook } from './parse.ts';

/** Where the shipped notebooks live: the project's notebooks/ folder, wherever the CLI or server was started from (and from src/ or dist/ alike). */
export const NOTEBOOK_DIR = resolve(import.meta.dirname, '../../notebooks');

/** Where rendered reports go by default: build output, not next to the sources. */
export const OUTPUT_DIR = 'data/notebooks';

// A notebook name is a file name, never a path: URLs cannot reach outside the folder.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Reads and parses one notebook file; errors name it relative to the cwd when it lies inside. */
export function loadNotebook(path: string): Notebook {
  const rel = relative(process.cwd(), resolve(path));
  return parseNotebook(readFileSync(path, 'utf8'), rel && !rel.startsWith('..') ? rel : resolve(path));
}

/** The `.md` file for a notebook name in `dir`, or undefined if there is none (or the name is unsafe). */
export function notebookPath(dir: string, name: string): string | undefined {
  if (!SAFE_NAME.test(name)) return undefined;
  const path = join(dir, `${name}.md`);
  return existsSync(path) ? path : undefined;
}

/** Every notebook in `dir` (README.md excluded), parsed, sorted by name. */
export function listNotebooks(dir: string = NOTEBOOK_DIR): Notebook[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md' && SAFE_NAME.test(f.slice(0, -3)))
    .sort()
    .map((f) => loadNotebook(join(dir, f)));
}
