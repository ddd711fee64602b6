import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { LOCALES } from '../locale/formats.ts';
import { NotebookError } from './errors.ts';
import { parseParamSpecs, type ParamSpec } from './params.ts';

/** Markdown between code blocks, rendered as it is. */
export interface ProseCell {
  kind: 'prose';
  markdown: string;
}

/** A fenced ```sql name=... block: run, its result shown as a table and named for charts. */
export interface SqlCell {
  kind: 'sql';
  name: string;
  sql: string;
  /** 1-based line of the opening fence in the file. */
  line: number;
  /** `hide`: run it (charts may use it) but show no table. */
  hidden: boolean;
}

/** A fenced ```vega-lite block: a spec that charts one or more earlier results. */
export interface ChartCell {
  kind: 'chart';
  spec: Record<string, unknown>;
  line: number;
  name?: string;
}

export type Cell = ProseCell | SqlCell | ChartCell;

/** A parsed notebook: its front matter and its cells in order. */
export interface Notebook {
  /** File name without `.md`: the notebook's id in URLs and output names. */
  name: string;
  /** Where it came from, as shown in error messages. */
  source: string;
  title: string;
  description?: string;
  /** BCP 47 tag for numbers and dates in tables and charts. */
  locale: string;
  params: ParamSpec[];
  cells: Cell[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`]*)$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `sql name=by_segment hide` -> { lang: 'sql', attrs: { name: 'by_segment', hide: 'true' } } */
function parseInfo(info: string): { lang: string; attrs: Record<string, string> } {
  const [lang = '', ...rest] = info.trim().split(/\s+/);
  const attrs: Record<string, string> = {};
  for (const m of rest.join(' ').matchAll(/([A-Za-z_-]+)(?:=("([^"]*)"|'([^']*)'|\S+))?/g)) {
    attrs[m[1]] = m[3] ?? m[4] ?? (m[2] === undefined ? 'true' : m[2]);
  }
  return { lang: lang.toLowerCase(), attrs };
}

/** Splits optional YAML front matter (between `---` lines at the top) from the body. */
function splitFrontMatter(text: string, source: string): { meta: Record<string, unknown>; body: string[]; offset: number } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[0]?.trim() !== '---') return { meta: {}, body: lines, offset: 0 };
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (end < 0) throw new NotebookError(source, 'front matter opened with --- on line 1 is never closed');
  let meta: unknown;
  try {
    meta = parseYaml(lines.slice(1, end).join('\n')) ?? {};
  } catch (err) {
    throw new NotebookError(source, `front matter is not valid YAML: ${(err as Error).message}`);
  }
  if (typeof meta !== 'object' || Array.isArray(meta)) throw new NotebookError(source, 'front matter must be a YAML mapping');
  return { meta: meta as Record<string, unknown>, body: lines.slice(end + 1), offset: end + 1 };
}

/**
 * Parses a notebook's Markdown: front matter (title, description, locale, params), prose, and
 * the ```sql and ```vega-lite blocks with the line each starts on. Other fenced blocks stay
 * prose. Throws NotebookError naming the block for an unnamed or duplicate SQL block or a
 * spec that is not JSON/YAML.
 *
 * @example
 *   const nb = parseNotebook(readFileSync('notebooks/x.md', 'utf8'), 'notebooks/x.md');
 */
export function parseNotebook(text: string, source: string): Notebook {
  const { meta, body, offset } = splitFrontMatter(text, source);
  const cells: Cell[] = [];
  const names = new Set<string>();
  let prose: string[] = [];
  const flushProse = () => {
    if (prose.join('').trim()) cells.push({ kind: 'prose', markdown: prose.join('\n') });
    prose = [];
  };

  for (let i = 0; i < body.length; i++) {
    const open = body[i].match(FENCE);
    if (!open) {
      prose.push(body[i]);
      continue;
    }
    const fence = open[1];
    const close = body.findIndex((l, j) => j > i && l.trim().startsWith(fence[0].repeat(fence.length)) && l.trim().replace(/[`~]/g, '') === '');
    const end = close < 0 ? body.length : close;
    const content = body.slice(i + 1, end).join('\n');
    const line = offset + i + 1;
    const { lang, attrs } = parseInfo(open[2]);

    if (lang === 'sql') {
      flushProse();
      const name = attrs.name;
      if (!name) throw new NotebookError(source, 'every sql block needs a name: ```sql name=by_segment', { line });
      if (!NAME.test(name)) throw new NotebookError(source, `block name '${name}' must be letters, digits and _`, { line });
      if (names.has(name)) throw new NotebookError(source, `a block named '${name}' already exists`, { name, line });
      if (close < 0) throw new NotebookError(source, 'the code fence is never closed', { name, line });
      names.add(name);
      cells.push({ kind: 'sql', name, sql: content, line, hidden: attrs.hide === 'true' });
    } else if (lang === 'vega-lite' || lang === 'vegalite') {
      flushProse();
      if (close < 0) throw new NotebookError(source, 'the code fence is never closed', { name: attrs.name, line });
      let spec: unknown;
      try {
        // YAML is a superset of JSON: authors may write either.
        spec = parseYaml(content);
      } catch (err) {
        throw new NotebookError(source, `the chart spec is not valid JSON or YAML: ${(err as Error).message}`, { name: attrs.name, line });
      }
      if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
        throw new NotebookError(source, 'the chart spec must be an object', { name: attrs.name, line });
      }
      cells.push({ kind: 'chart', spec: spec as Record<string, unknown>, line, ...(attrs.name ? { name: attrs.name } : {}) });
    } else {
      prose.push(...body.slice(i, Math.min(end + 1, body.length)));
    }
    i = end;
  }
  flushProse();

  const name = basename(source).replace(/\.md$/i, '');
  const locale = typeof meta.locale === 'string' ? meta.locale : 'en-US';
  if (!(LOCALES as readonly string[]).includes(locale)) throw new NotebookError(source, `locale '${locale}' has no formats; use one of ${LOCALES.join(', ')}`);
  return {
    name,
    source,
    title: typeof meta.title === 'string' ? meta.title : name,
    ...(typeof meta.description === 'string' ? { description: meta.description } : {}),
    locale,
    params: parseParamSpecs(meta.params, source),
    cells,
  };
}
