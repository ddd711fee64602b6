import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { dbOption, UserError, type Command } from '../cli/command.ts';
import { stdout } from '../cli/output.ts';
import { resolveDbPath, withWarehouse } from '../db/warehouse.ts';
import { explainMissing } from '../pipeline/index.ts';
import { listNotebooks, loadNotebook, notebookPath, NOTEBOOK_DIR, OUTPUT_DIR } from '../notebooks/catalog.ts';
import { NotebookError, ParamError } from '../notebooks/errors.ts';
import { renderNotebookHtml } from '../notebooks/html.ts';
import { runNotebook } from '../notebooks/run.ts';

/** `--param k=v` flags as a map; a flag without `=` is a usage error. */
function parseParamFlags(flags: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new UserError(`notebook: --param takes name=value; got '${flag}'`, 2);
    out[flag.slice(0, eq)] = flag.slice(eq + 1);
  }
  return out;
}

function listing(): string {
  const nbs = listNotebooks();
  if (!nbs.length) return `no notebooks in ${NOTEBOOK_DIR}\n`;
  return nbs.map((nb) => `  ${nb.name.padEnd(30)}${nb.title}`).join('\n') + '\n';
}

export const notebookCommand: Command = {
  name: 'notebook',
  args: 'FILE.md|NAME',
  options: {
    ...dbOption,
    out: { type: 'string', description: `HTML file to write (default: ${OUTPUT_DIR}/<name>.html)`, placeholder: 'FILE' },
    param: { type: 'string', multiple: true, description: 'notebook parameter, repeatable: --param desde=2024-01-01', placeholder: 'K=V' },
  },
  details: `A NAME without .md runs notebooks/NAME.md (the project's notebooks). With no argument, lists the notebooks.
The warehouse is opened read-only; parameters are bound as DuckDB values, never pasted into SQL.`,
  async run(opts, positionals) {
    const [target] = positionals;
    if (!target) {
      stdout.write(listing());
      return 0;
    }
    const path = existsSync(target) ? target : notebookPath(NOTEBOOK_DIR, target);
    if (!path) throw new UserError(`notebook: no file '${target}' and no notebook of that name in ${NOTEBOOK_DIR}; available:\n${listing()}`, 2);
    const given = parseParamFlags((opts.param as string[] | undefined) ?? []);
    const db = resolveDbPath(opts.db as string | undefined);

    try {
      const nb = loadNotebook(path);
      const run = await withWarehouse(
        db,
        (wh) =>
          runNotebook(nb, (sql, params) => wh.result(sql, params), given).catch(async (err: Error) => {
            // A notebook reads the marts: before the first build, say what to run rather than which table is missing.
            throw await explainMissing(wh, err);
          }),
        { readOnly: true },
      );
      const out = resolve((opts.out as string | undefined) ?? join(OUTPUT_DIR, `${nb.name}.html`));
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, renderNotebookHtml(run));
      const shown = relative(process.cwd(), out);
      stdout.write(`${shown && !shown.startsWith('..') ? shown : out}\n`);
    } catch (err) {
      if (err instanceof ParamError) throw new UserError(`notebook ${path}: ${err.message}`, 2);
      if (err instanceof NotebookError) throw new UserError(err.message);
      throw err;
    }
  },
};
