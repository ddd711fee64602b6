import { loadDashboards, type DashboardPanel } from '../dashboards/definition.ts';
import { FilterError, resolveFilters, runPanel, type PanelData, type Query } from '../dashboards/run.ts';
import { readAged, type AgedReport } from './aged.ts';
import { ReportError } from './errors.ts';

/** The CFO dashboard's panels the pack prints, by id (dashboards/cfo.yaml): the same SQL, so the same numbers as the screen. */
export const PACK_PANELS = { kpis: 'kpis', provision: 'provision_matrix', forecast: 'cash_forecast' } as const;

export interface PackPanel {
  panel: DashboardPanel;
  data: PanelData;
}

/** Everything the month-end pack shows, read in one go (one snapshot, one as-of). */
export interface PackData {
  /** The as-of every section uses: the CFO page's own resolution of the date asked for (a month end). */
  asOf: string;
  currency: string;
  /** Why the as-of or another filter is not the one asked for, in both languages (the page's notes). */
  notes: { es: string; en: string }[];
  kpis: PackPanel;
  provision: PackPanel;
  forecast: PackPanel;
  aged: AgedReport;
}

/**
 * Reads the pack as the CFO page would show it for these filters: the page resolves the as-of
 * (KPIs are monthly: a date inside a month shows the month end before it) and the currency, then
 * its KPI, provision and forecast panels run unchanged, and the aged receivables report is read at
 * that same as-of and in that currency. A filter value the page refuses throws ReportError.
 *
 * @example
 *   const pack = await readPack((sql, p) => wh.result(sql, p), { asOf: '2024-06-30' });
 */
export async function readPack(query: Query, given: { asOf?: string; currency?: string }): Promise<PackData> {
  const cfo = loadDashboards().get('cfo');
  if (!cfo) throw new Error('the CFO dashboard (dashboards/cfo.yaml) is missing');
  const resolved = await resolveFilters(cfo, query, { as_of: given.asOf, currency: given.currency }).catch((err: Error) => {
    throw err instanceof FilterError ? new ReportError(err.message) : err;
  });
  const asOf = String(resolved.values.as_of);
  const currency = String(resolved.values.currency);
  const panel = async (id: string): Promise<PackPanel> => {
    const p = cfo.panels.find((x) => x.id === id);
    if (!p) throw new Error(`the CFO dashboard has no panel '${id}'`);
    return { panel: p, data: await runPanel(p, query, resolved.values) };
  };
  return {
    asOf,
    currency,
    notes: resolved.notes.map((n) => n.text),
    kpis: await panel(PACK_PANELS.kpis),
    provision: await panel(PACK_PANELS.provision),
    forecast: await panel(PACK_PANELS.forecast),
    aged: await readAged(query, { asOf, currency }),
  };
}
