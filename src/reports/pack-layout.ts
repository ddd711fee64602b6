import { kpiDefinition } from '../models/definitions.ts';
import { formatsFor } from '../locale/formats.ts';
import { describeReasons } from '../locale/reasons.ts';
import type { Column, StatementLocale, Table } from '../statements/index.ts';
import { layoutAged, type AgedLayout } from './aged-layout.ts';
import { change, figure } from './figures.ts';
import { REPORT_LABELS } from './labels.ts';
import type { PackData, PackPanel } from './pack-data.ts';

/** A section of the pack from a dashboard panel: its title and description in the language, and its table. */
export interface PanelSection {
  title: string;
  description: string;
  table: Table;
}

/** The month-end pack in words and formatted figures, ready to draw. */
export interface PackLayout {
  title: string;
  subtitle: string;
  notes: string[];
  kpis: PanelSection;
  aged: AgedLayout;
  provision: PanelSection;
  forecast: PanelSection & { bars: { label: string; value: number }[] };
  page: (n: number, of: number) => string;
}

const left = (label: string, width: number): Column => ({ label, align: 'left', width });
const right = (label: string, width: number): Column => ({ label, align: 'right', width });

function section(p: PackPanel, locale: StatementLocale, table: Omit<Table, 'title' | 'empty'>): PanelSection {
  const t = REPORT_LABELS[locale.lang];
  const unavailable = p.data.unavailable ? `${t.noData} (${p.data.unavailable})` : t.noData;
  return { title: p.panel.title[locale.lang], description: p.panel.description[locale.lang], table: { ...table, title: '', empty: unavailable } };
}

/** The KPI tiles as rows: the KPI's name from its model's definition, this month, the month before, the change. */
function kpiSection(data: PackData, locale: StatementLocale): PanelSection {
  const t = REPORT_LABELS[locale.lang];
  const row = data.kpis.data.rows[0];
  const rows = row
    ? (data.kpis.panel.tiles ?? []).map((tile) => [
        kpiDefinition(tile.kpi)?.label[locale.lang] ?? tile.value,
        figure(row[tile.value], tile.format, locale, data.currency),
        tile.previous ? figure(row[tile.previous], tile.format, locale, data.currency) : '—',
        tile.previous ? change(row[tile.value], row[tile.previous], tile.format, locale, data.currency) : '—',
      ])
    : [];
  const c = t.kpiColumns;
  return section(data.kpis, locale, { columns: [left(c.kpi, 34), right(c.value, 22), right(c.previous, 22), right(c.change, 22)], rows });
}

/** The provision matrix as the page's table: its own columns, titles and formats (dashboards/cfo.yaml). */
function provisionSection(data: PackData, locale: StatementLocale): PanelSection {
  const columns = data.provision.panel.columns ?? [];
  const field = (name: string) => name.replaceAll('{lang}', locale.lang);
  // Money columns say their currency in the title and leave it out of the cells, as on the page.
  const rows = data.provision.data.rows.map((r) =>
    columns.map((c) => (c.format === 'reasons' ? describeReasons(formatsFor(locale.tag), r[field(c.field)] as string, r.reason_values as number[], data.currency) : figure(r[field(c.field)], c.format === 'money' ? 'amount' : c.format, locale, data.currency))),
  );
  // The panel's SQL names its grand-total row 'Total' (bucket_en): the pack prints it as the table's total.
  const all = rows.map((cells, i) => ({ cells, total: data.provision.data.rows[i].bucket_en === 'Total' }));
  return section(data.provision, locale, {
    // Widths by the titles' length: long titles ('Tasa de pérdida histórica') keep room to be read whole.
    columns: columns.map((c, i) => {
      const title = c.format === 'money' ? `${c.title[locale.lang]} (${data.currency})` : c.title[locale.lang];
      // Money takes room for a balance in the hundreds of millions ('602,218,865.90') at the body's size.
      return i === 0 ? left(title, 12) : right(title, Math.max(c.format === 'money' ? 16 : 12, title.length));
    }),
    rows: all.filter((r) => !r.total).map((r) => r.cells),
    total: all.find((r) => r.total)?.cells,
  });
}

/** The 13 weeks of the cash forecast as a table, and their amounts for a bar drawing. */
function forecastSection(data: PackData, locale: StatementLocale): PackLayout['forecast'] {
  const t = REPORT_LABELS[locale.lang].forecastColumns;
  const f = formatsFor(locale.tag);
  const rows = data.forecast.data.rows;
  return {
    ...section(data.forecast, locale, {
      columns: [right(t.week, 10), left(t.from, 20), left(t.to, 20), right(`${t.expected} (${data.currency})`, 30), right(t.invoices, 20)],
      rows: rows.map((r) => [
        String(r.week_number),
        f.date(String(r.week_start)),
        f.date(String(r.week_end)),
        figure(r.expected_amount, 'amount', locale, data.currency),
        figure(r.invoices, 'integer', locale, data.currency),
      ]),
    }),
    bars: rows.map((r) => ({ label: String(r.week_number), value: Number(r.expected_amount) })),
  };
}

/** Lays out the pack in a locale: a KPI page, the aged receivables report, the provision matrix and the cash forecast. */
export function layoutPack(data: PackData, locale: StatementLocale): PackLayout {
  const t = REPORT_LABELS[locale.lang];
  return {
    title: t.packTitle,
    subtitle: `${t.asOf(formatsFor(locale.tag).date(data.asOf))} — ${t.currency(data.currency)}`,
    notes: data.notes.map((n) => n[locale.lang]),
    kpis: kpiSection(data, locale),
    aged: layoutAged(data.aged, locale),
    provision: provisionSection(data, locale),
    forecast: forecastSection(data, locale),
    page: t.page,
  };
}
