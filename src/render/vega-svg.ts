import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { LOCALES, vegaLocale } from '../locale/formats.ts';

export type DataRow = Record<string, unknown>;

export interface RenderOptions {
  /** BCP 47 tag for axis and label number/date formats, one of LOCALES, e.g. 'es-MX' (default: Vega's en-US). */
  locale?: string;
  /** The currency whose symbol a '$' format writes (default USD). */
  currency?: string;
}

/** A chart that cannot be drawn: unknown dataset, invalid spec, Vega error. */
export class ChartError extends Error {}

/**
 * Names of the datasets a spec reads with `"data": {"name": ...}`, at any depth (layers,
 * concatenations and facets carry their own `data`).
 */
export function namedDatasets(spec: unknown): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'data' && value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string') {
        names.add((value as { name: string }).name);
      }
      if (key !== 'datasets') visit(value);
    }
  };
  visit(spec);
  return names;
}

// Any URL a spec names (data, images) is refused: charts render from the rows we pass, offline.
const offlineLoader = Object.assign(vega.loader(), {
  load: () => Promise.reject(new ChartError('charts may not load data or images from a URL or file')),
  sanitize: () => Promise.reject(new ChartError('charts may not load data or images from a URL or file')),
});

/**
 * Draws a Vega-Lite spec to an SVG string on the server: Vega-Lite compiles to Vega, a headless
 * View (renderer 'none') lays it out, and `toSVG()` serialises it. No browser, no network.
 * `datasets` supplies the rows for every `"data": {"name": ...}` the spec reads.
 *
 * @example
 *   const svg = await renderVegaLiteToSvg(
 *     { data: { name: 'by_segment' }, mark: 'bar',
 *       encoding: { x: { field: 'segment' }, y: { field: 'overdue', type: 'quantitative' } } },
 *     { by_segment: [{ segment: 'pyme', overdue: 1200.5 }] },
 *     { locale: 'es-MX' },
 *   );
 */
export async function renderVegaLiteToSvg(
  spec: object,
  datasets: Record<string, DataRow[]>,
  opts: RenderOptions = {},
): Promise<string> {
  const used: Record<string, DataRow[]> = {};
  for (const name of namedDatasets(spec)) {
    if (!(name in datasets)) {
      const known = Object.keys(datasets);
      throw new ChartError(`the chart reads dataset '${name}', which no block produced${known.length ? ` (known: ${known.join(', ')})` : ''}`);
    }
    used[name] = datasets[name];
  }
  const withData = { ...spec, datasets: { ...(spec as { datasets?: object }).datasets, ...used } } as TopLevelSpec;
  let runtime: vega.Runtime;
  try {
    runtime = vega.parse(compile(withData).spec);
  } catch (err) {
    throw new ChartError(`invalid Vega-Lite spec: ${(err as Error).message}`);
  }
  if (opts.locale !== undefined && !(LOCALES as readonly string[]).includes(opts.locale)) throw new ChartError(`no chart formats for locale '${opts.locale}'`);
  const locale = opts.locale === undefined ? undefined : vegaLocale(opts.locale, opts.currency);
  // Vega logs a failed load (as a warning) or a runtime error and draws on with no data; a report
  // must not show an empty chart as if it were true, so those fail the render. Other warnings are
  // cosmetic and stay quiet.
  const errors: string[] = [];
  const text = (args: readonly unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  const logger = vega.logger(vega.Warn);
  logger.error = (...args: readonly unknown[]) => {
    errors.push(text(args));
    return logger;
  };
  logger.warn = (...args: readonly unknown[]) => {
    if (/^Loading failed/.test(text(args))) errors.push(text(args));
    return logger;
  };
  const view = new vega.View(runtime, { renderer: 'none', loader: offlineLoader, logger, ...(locale ? { locale } : {}) } as vega.ViewOptions);
  try {
    const svg = await view.toSVG();
    if (errors.length) throw new ChartError(errors.join('; '));
    return svg;
  } finally {
    view.finalize();
  }
}
