import { describe, expect, it } from 'vitest';
import { ChartError, namedDatasets, renderVegaLiteToSvg } from '../../src/render/vega-svg.ts';

const BAR = {
  data: { name: 'saldos' },
  mark: 'bar',
  encoding: {
    x: { field: 'segmento', type: 'nominal' },
    y: { field: 'saldo', type: 'quantitative', axis: { format: ',.0f' } },
  },
};
const ROWS = { saldos: [{ segmento: 'PyME', saldo: 1_250_000 }, { segmento: 'Gobierno', saldo: 480_000 }] };

/** The text of every <text> element, in document order. */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('renderVegaLiteToSvg', () => {
  it('draws one bar per row, with axis labels from the data', async () => {
    const svg = await renderVegaLiteToSvg(BAR, ROWS);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<path[^>]*aria-roledescription="bar"/g) ?? svg.match(/role-mark[^"]*marks/g)).toBeTruthy();
    expect(texts(svg)).toEqual(expect.arrayContaining(['PyME', 'Gobierno', 'segmento', 'saldo']));
    expect(texts(svg)).toContain('1,200,000');
  });

  it('formats numbers for the locale asked for', async () => {
    const svg = await renderVegaLiteToSvg(BAR, ROWS, { locale: 'es-ES' });
    expect(texts(svg)).toContain('1.200.000');
    expect(texts(svg)).not.toContain('1,200,000');
  });

  it('refuses a spec reading a dataset it was not given', async () => {
    await expect(renderVegaLiteToSvg(BAR, { otros: [] })).rejects.toThrow(new ChartError("the chart reads dataset 'saldos', which no block produced (known: otros)"));
  });

  it('never fetches: a spec with a data URL fails instead of reaching the network', async () => {
    const spec = { ...BAR, data: { url: 'https://example.com/saldos.json' } };
    await expect(renderVegaLiteToSvg(spec, {})).rejects.toThrow(/may not load data/);
  });

  it('finds datasets named at any depth', () => {
    expect([...namedDatasets({ layer: [{ data: { name: 'a' } }, { layer: [{ data: { name: 'b' } }] }], data: { name: 'c' } })].sort()).toEqual(['a', 'b', 'c']);
  });
});
