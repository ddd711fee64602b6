import { Marked } from 'marked';
import type { NotebookRun, ResultColumn, RunCell } from './run.ts';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// Kept inline so the report is one file that opens anywhere, offline.
const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;max-width:1000px;margin:2rem auto;padding:0 1rem}
h1,h2,h3{line-height:1.25}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2rem}
code,pre{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;border-radius:4px}
pre{padding:.75rem;overflow:auto}code{padding:.1rem .3rem}pre code{padding:0}
table{border-collapse:collapse;margin:.5rem 0;font-size:13px;display:block;overflow-x:auto}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;white-space:nowrap}th{background:#f6f8fa;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}td.null{color:#8c959f}
.result{margin:1rem 0}.caption{color:#57606a;font-size:13px}.caption b{font-family:ui-monospace,monospace}
details summary{cursor:pointer;color:#57606a;font-size:13px}
.chart{margin:1rem 0;overflow-x:auto}.chart svg{max-width:100%;height:auto}
.params{font-size:13px;color:#57606a}.note{color:#9a6700}footer{margin-top:3rem;color:#8c959f;font-size:12px}
`;

function formatCell(value: unknown, col: ResultColumn, locale: string): { text: string; cls: string } {
  if (value === null || value === undefined) return { text: 'NULL', cls: 'null' };
  if (col.numeric && (typeof value === 'number' || typeof value === 'string') && value !== '' && Number.isFinite(Number(value))) {
    const digits = col.scale === undefined ? { maximumFractionDigits: 4 } : { minimumFractionDigits: col.scale, maximumFractionDigits: col.scale };
    // A DECIMAL's text is formatted as it is (Intl takes decimal strings): no digit lost to a double.
    return { text: new Intl.NumberFormat(locale, digits).format(value as number), cls: 'n' };
  }
  return { text: typeof value === 'object' ? JSON.stringify(value) : String(value), cls: '' };
}

function renderTable(cell: Extract<RunCell, { kind: 'table' }>, locale: string, sqlText: string | undefined): string {
  const head = cell.columns.map((c) => `<th>${escapeHtml(c.name)}</th>`).join('');
  const body = cell.rows
    .map((row) => {
      const tds = cell.columns.map((c) => {
        const { text, cls } = formatCell(row[c.name], c, locale);
        return `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</td>`;
      });
      return `<tr>${tds.join('')}</tr>`;
    })
    .join('\n');
  const count = new Intl.NumberFormat(locale).format(cell.rowCount);
  const shown = cell.rowCount > cell.rows.length ? `first ${cell.rows.length} of ${count} rows` : `${count} row${cell.rowCount === 1 ? '' : 's'}`;
  const sql = sqlText === undefined ? '' : `<details><summary>SQL</summary><pre><code>${escapeHtml(sqlText)}</code></pre></details>`;
  return `<div class="result" id="${escapeHtml(cell.name)}"><div class="caption"><b>${escapeHtml(cell.name)}</b> · ${shown}</div>
${sql}<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div>`;
}

/** A plain GET form (no script) to re-run a served notebook with other parameter values. */
function paramForm(run: NotebookRun): string {
  const fields = run.params.map(({ spec, text }) => {
    const id = `p-${escapeHtml(spec.name)}`;
    const label = `<label for="${id}">${escapeHtml(spec.name)}${spec.description ? ` <small>(${escapeHtml(spec.description)})</small>` : ''}</label>`;
    const input = spec.options
      ? `<select id="${id}" name="${escapeHtml(spec.name)}">${spec.options.map((o) => `<option${o === text ? ' selected' : ''}>${escapeHtml(o)}</option>`).join('')}</select>`
      : `<input id="${id}" name="${escapeHtml(spec.name)}" type="${spec.type === 'date' ? 'date' : 'text'}" value="${escapeHtml(text)}">`;
    return `${label} ${input}`;
  });
  return `<form class="params" method="get">${fields.join(' ')} <button type="submit">Ejecutar / Run</button></form>`;
}

/**
 * Renders a run notebook as one self-contained HTML page: prose through `marked`, each result
 * as a table of its first rows with the row count (and its SQL folded away), each chart as
 * inline SVG, CSS inline. No scripts, no external links, so it opens offline and can be mailed.
 */
export function renderNotebookHtml(run: NotebookRun, opts: { generatedAt?: Date; paramForm?: boolean; notes?: string[] } = {}): string {
  const nb = run.notebook;
  const marked = new Marked({ gfm: true });
  const sqlByName = new Map(nb.cells.flatMap((c) => (c.kind === 'sql' ? [[c.name, c.sql] as const] : [])));
  const parts = run.cells.map((cell) => {
    if (cell.kind === 'prose') return marked.parse(cell.markdown) as string;
    if (cell.kind === 'table') return cell.hidden ? '' : renderTable(cell, nb.locale, sqlByName.get(cell.name));
    return `<div class="chart"${cell.name ? ` id="${escapeHtml(cell.name)}"` : ''}>${cell.svg}</div>`;
  });
  const params = run.params.length
    ? `<p class="params">Parámetros / Parameters: ${run.params.map((p) => `<code>${escapeHtml(p.spec.name)}</code> = <code>${escapeHtml(p.text)}</code>`).join(', ')}</p>`
    : '';
  const form = opts.paramForm && run.params.length ? paramForm(run) : '';
  const lang = nb.locale.split('-')[0];
  const at = (opts.generatedAt ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(nb.title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(nb.title)}</h1>
${nb.description ? `<p>${escapeHtml(nb.description)}</p>` : ''}
${(opts.notes ?? []).map((n) => `<p class="note" role="status">${escapeHtml(n)}</p>`).join('\n')}
${params}
${form}
${parts.join('\n')}
<footer>Cartera · notebook <code>${escapeHtml(nb.name)}</code> · ${at}</footer>
</body>
</html>
`;
}
