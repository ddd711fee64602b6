import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withWarehouse } from '../../src/db/warehouse.ts';
import { NotebookError, ParamError } from '../../src/notebooks/errors.ts';
import { renderNotebookHtml } from '../../src/notebooks/html.ts';
import { bindPlaceholders } from '../../src/notebooks/params.ts';
import { parseNotebook } from '../../src/notebooks/parse.ts';
import { runNotebook } from '../../src/notebooks/run.ts';
import { tinyWarehouse } from './tiny-warehouse.ts';

let tiny: Awaited<ReturnType<typeof tinyWarehouse>>;
beforeAll(async () => {
  tiny = await tinyWarehouse();
});
afterAll(() => tiny.cleanup());

const SEGMENT_NOTEBOOK = `---
title: Morosidad
locale: es-ES
params:
  segmento:
    default: pyme
    description: segmento
  desde:
    type: date
    default: 2024-01-01
---
## Por mes / By month

\`\`\`sql name=por_mes
select month, segment, ar_end, overdue_pct
from kpi_monthly_by_segment
where segment = \${segmento} and month >= \${desde}
order by month
\`\`\`

\`\`\`vega-lite
{"data": {"name": "por_mes"}, "mark": "line",
 "encoding": {"x": {"field": "month", "type": "temporal", "timeUnit": "utcyearmonth"},
              "y": {"field": "ar_end", "type": "quantitative", "title": "Saldo final"}}}
\`\`\`
`;

/** Parses and runs notebook text on the tiny warehouse, read-only as the CLI does. */
function run(text: string, params: Record<string, string> = {}, source = 'notebooks/prueba.md') {
  const nb = parseNotebook(text, source);
  return withWarehouse(tiny.db, (wh) => runNotebook(nb, (sql, p) => wh.result(sql, p), params), { readOnly: true });
}

describe('parameters', () => {
  it('turns placeholders into named parameters, leaving comments and strings alone', () => {
    const out = bindPlaceholders("select 'it''s $5' as a -- ${nor_me}\nfrom t where s = ${seg} and m >= ${ desde } /* ${x} */", new Map([['seg', 'text'], ['desde', 'date']] as const));
    expect(out).toEqual({ sql: "select 'it''s $5' as a -- ${nor_me}\nfrom t where s = $seg and m >= ($desde::DATE) /* ${x} */", names: ['seg', 'desde'] });
  });

  it('binds a hostile value as text, so it matches nothing and runs nothing', async () => {
    const hostile = "'; drop table canary; --";
    const result = await run(SEGMENT_NOTEBOOK, { segmento: hostile });
    const table = result.cells.find((c) => c.kind === 'table');
    expect(table).toMatchObject({ kind: 'table', rowCount: 0 });
    // Pasted into the SQL, "x' or '1'='1" would select every row; bound, it is one odd segment name.
    const tautology = await run(SEGMENT_NOTEBOOK, { segmento: "x' or '1'='1" });
    expect(tautology.cells.find((c) => c.kind === 'table')).toMatchObject({ rowCount: 0 });
    const canary = await withWarehouse(tiny.db, (wh) => wh.scalar<number>('select count(*)::int from canary'));
    expect(canary).toBe(1);
  });

  it('binds dates as DATE values and honours given values over defaults', async () => {
    const result = await run(SEGMENT_NOTEBOOK, { segmento: 'gobierno', desde: '2024-02-01' });
    const table = result.cells.find((c) => c.kind === 'table');
    expect(table).toMatchObject({ rowCount: 2 });
    if (table?.kind !== 'table') throw new Error('no table');
    expect(table.rows.map((r) => r.month)).toEqual(['2024-02-01', '2024-03-01']);
    expect(table.rows.every((r) => r.segment === 'gobierno')).toBe(true);
  });

  it('refuses a parameter the notebook does not declare', async () => {
    await expect(run(SEGMENT_NOTEBOOK, { segment: 'pyme' })).rejects.toThrow(ParamError);
    await expect(run(SEGMENT_NOTEBOOK, { segment: 'pyme' })).rejects.toThrow(/unknown parameter 'segment'.*takes: segmento, desde/);
  });

  it('refuses a malformed date', async () => {
    await expect(run(SEGMENT_NOTEBOOK, { desde: '2024-02-30' })).rejects.toThrow(/'desde' must be a date YYYY-MM-DD/);
  });

  it('fails a block whose placeholder names no declared parameter, naming the block and line', async () => {
    const text = '# T\n\n```sql name=suelto\nselect * from kpi_monthly_by_segment where segment = ${segmento}\n```\n';
    const err = await run(text).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotebookError);
    expect((err as Error).message).toBe(
      "notebook notebooks/prueba.md, block 'suelto' (line 3): unknown parameter ${segmento}; declared: none (declare params in the front matter)",
    );
  });

  it('refuses a placeholder written inside quotes, which would be text and not the value', async () => {
    const text = "---\nparams:\n  s: pyme\n---\n```sql name=q\nselect * from kpi_monthly_by_segment where segment = '${s}'\n```\n";
    await expect(run(text)).rejects.toThrow(/block 'q' \(line 5\): placeholder \$\{s\} is inside quotes/);
  });
});

describe('report', () => {
  it('shows each result as a table of its first 20 rows with the row count', async () => {
    const text = '```sql name=muchas\nselect range as n, (range * 1.5)::decimal(10,2) as importe from range(30)\n```\n';
    const html = renderNotebookHtml(await run(text));
    expect(html).toContain('<b>muchas</b> · first 20 of 30 rows');
    const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
    expect(body.match(/<tr>/g)).toHaveLength(20);
    expect(body).toContain('<td class="n">28.50</td>');
    expect(body).not.toContain('>20<');
  });

  it('renders prose, a locale-formatted table and the chart as inline SVG, with no scripts or links out', async () => {
    const html = renderNotebookHtml(await run(SEGMENT_NOTEBOOK));
    expect(html).toContain('<h2>Por mes / By month</h2>');
    expect(html).toContain('<th>overdue_pct</th>');
    expect(html).toContain('<td class="n">39.000,75</td>');
    expect(html).toContain('<b>por_mes</b> · 3 rows');
    const svg = html.match(/<div class="chart"><svg[\s\S]*?<\/svg><\/div>/)?.[0] ?? '';
    expect(svg).toContain('Saldo final');
    // The y axis is formatted in Spanish: thousands with a dot.
    expect(svg).toMatch(/>\d{2}\.000</);
    expect(html).not.toMatch(/<script|<link|https?:\/\/(?!www\.w3\.org)/);
  });

  it('fails a chart that reads a result no block produced', async () => {
    const text = '```sql name=a\nselect 1 as x\n```\n\n```vega-lite\n{"data": {"name": "b"}, "mark": "bar", "encoding": {"x": {"field": "x"}}}\n```\n';
    await expect(run(text)).rejects.toThrow(/notebook notebooks\/prueba.md, block \(line 5\): the chart reads dataset 'b', which no block produced \(known: a\)/);
  });

  it('fails a broken block naming the notebook, the block, its line and the DuckDB error', async () => {
    const text = '# Roto\n\nTexto.\n\n```sql name=ok\nselect 1\n```\n\n```sql name=roto\nselect * from no_such_table\n```\n';
    const err = await run(text, {}, 'notebooks/roto.md').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotebookError);
    expect((err as Error).message).toMatch(/^notebook notebooks\/roto\.md, block 'roto' \(line 9\): Catalog Error: Table with name no_such_table does not exist! \(make it with: cartera build\)/);
  });

  it('requires every sql block to be named', () => {
    expect(() => parseNotebook('text\n\n```sql\nselect 1\n```\n', 'x.md')).toThrow("notebook x.md, block (line 3): every sql block needs a name");
  });

  it('keeps other code blocks as prose, reads YAML specs and hides tables marked hide', async () => {
    const text = [
      '```bash', 'cartera notebook x', '```', '',
      '```sql name=oculta hide', 'select 1 as x, 2 as y', '```', '',
      '```vega-lite', 'data: {name: oculta}', 'mark: point', 'encoding:', '  x: {field: x, type: quantitative}', '```', '',
    ].join('\n');
    const nb = parseNotebook(text, 'x.md');
    expect(nb.cells.map((c) => c.kind)).toEqual(['prose', 'sql', 'chart']);
    const html = renderNotebookHtml(await run(text));
    expect(html).toContain('<pre><code class="language-bash">cartera notebook x');
    expect(html).not.toContain('id="oculta"');
    expect(html).toContain('<div class="chart"><svg');
  });

  it('refuses a locale it has no chart formats for', () => {
    expect(() => parseNotebook('---\nlocale: fr-FR\n---\n', 'x.md')).toThrow("locale 'fr-FR' has no formats; use one of es-MX, es-CO, es-CL, es-AR, es-PE, es-ES, pt-BR, en-US");
  });
});
