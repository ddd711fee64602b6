import type { Layout, Table } from './layout.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const STYLE = `
body{font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1a1a1a;margin:0;background:#f4f4f4}
main{max-width:60rem;margin:1.5rem auto;background:#fff;padding:2rem 2.5rem;box-shadow:0 1px 3px #0002}
header{display:flex;justify-content:space-between;gap:2rem;border-bottom:2px solid #1a1a1a;padding-bottom:1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.75rem 0 .5rem;border-bottom:1px solid #ccc}
h3{font-size:.95rem;margin:1rem 0 .35rem}.seller{text-align:right}.seller p,.customer p{margin:0}
.customer{margin:1rem 0}dl{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem;margin:.5rem 0}dt{color:#555}dd{margin:0}
table{border-collapse:collapse;width:100%;table-layout:fixed}th,td{padding:.25rem .4rem;border-bottom:1px solid #e2e2e2;text-align:left;vertical-align:top}
th{font-size:.8rem;color:#444;border-bottom:1px solid #999}.r{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tfoot td{font-weight:600;border-top:1px solid #999}.totals{display:flex;gap:2rem;margin:.25rem 0 .5rem}.totals strong{font-size:1.05rem}
.empty{color:#666;font-style:italic}footer{margin-top:2rem;font-size:.8rem;color:#555}
@media print{body{background:#fff}main{box-shadow:none;margin:0;max-width:none;padding:0}section{break-inside:avoid-page}}
`;

function table(t: Table): string {
  const cls = (i: number) => (t.columns[i].align === 'right' ? ' class="r"' : '');
  const cells = (row: string[], tag: 'td' | 'th') => row.map((v, i) => `<${tag}${cls(i)}>${esc(v)}</${tag}>`).join('');
  const body = t.rows.length
    ? `<tbody>${t.rows.map((r) => `<tr>${cells(r, 'td')}</tr>`).join('')}</tbody>${t.total ? `<tfoot><tr>${cells(t.total, 'td')}</tr></tfoot>` : ''}`
    : `<tbody><tr><td class="empty" colspan="${t.columns.length}">${esc(t.empty)}</td></tr></tbody>`;
  const share = t.columns.reduce((sum, c) => sum + c.width, 0);
  // The layout's column widths, so the tables of every currency line up alike.
  const cols = t.columns.map((c) => `<col style="width:${((100 * c.width) / share).toFixed(1)}%">`).join('');
  return `<h3>${esc(t.title)}</h3><table><colgroup>${cols}</colgroup><thead><tr>${cells(t.columns.map((c) => c.label), 'th')}</tr></thead>${body}</table>`;
}

/**
 * A statement as one standalone, printable HTML page: no script, no external asset, styles
 * inline (what the plain-page Content-Security-Policy allows).
 */
export function statementHtml(l: Layout): string {
  const [sellerName, ...sellerLines] = l.seller;
  const seller = sellerName ? `<div class="seller"><p><strong>${esc(sellerName)}</strong></p>${sellerLines.map((s) => `<p>${esc(s)}</p>`).join('')}</div>` : '';
  const fields = l.customer.fields.map((f) => `<dt>${esc(f.label)}</dt><dd>${esc(f.value)}</dd>`).join('');
  const sections = l.sections
    .map(
      (s) => `<section><h2>${esc(s.heading)}</h2>
<div class="totals">${s.totals.map((t) => `<div>${esc(t.label)}: <strong>${esc(t.value)}</strong></div>`).join('')}</div>
${s.tables.map(table).join('\n')}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${esc(l.lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${l.title} — ${l.customer.name} — ${l.asOf}`)}</title><style>${STYLE}</style></head>
<body><main>
<header><div><h1>${esc(l.title)}</h1><p>${esc(l.asOf)}</p></div>${seller}</header>
<div class="customer"><p><strong>${esc(l.customer.name)}</strong></p><dl>${fields}</dl></div>
${sections}${l.empty ? `<p class="empty">${esc(l.empty)}</p>` : ''}
<footer>${l.notes.map((n) => `<p>${esc(n)}</p>`).join('')}</footer>
</main></body></html>
`;
}
