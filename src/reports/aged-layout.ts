import { formatsFor } from '../locale/formats.ts';
import type { Column, StatementLocale, Table } from '../statements/index.ts';
import type { AgedLine, AgedReport } from './aged.ts';
import { REPORT_LABELS } from './labels.ts';

/** The aged receivables report in words and formatted figures, ready to draw (PDF, pack). */
export interface AgedLayout {
  title: string;
  /** "Al 30 jun 2024 — Importes en MXN..." */
  subtitle: string;
  /** The filters applied, e.g. "Segmento: pyme"; empty when none. */
  filters: string;
  tables: Table[];
  /** Shown when no customer has an open balance. */
  empty?: string;
}

const left = (label: string, width: number): Column => ({ label, align: 'left', width });
const right = (label: string, width: number): Column => ({ label, align: 'right', width });

/** The filters of a report as a line of text ("Segmento: pyme · País: MX"). */
export function filtersLine(report: AgedReport, locale: StatementLocale): string {
  const t = REPORT_LABELS[locale.lang];
  const f = report.filters;
  return (['segment', 'country', 'collector'] as const)
    .filter((k) => f[k] !== null)
    .map((k) => `${t.filters[k]}: ${f[k]}`)
    .join(' · ');
}

/** Lays out a report in a locale: one table per currency, each with its own totals row. */
export function layoutAged(report: AgedReport, locale: StatementLocale): AgedLayout {
  const t = REPORT_LABELS[locale.lang];
  const f = formatsFor(locale.tag);
  const columns = [left(t.customerId, 7), left(t.customer, 20), ...report.buckets.map((b) => right(t.bucket(b), 10)), right(t.total, 11)];
  const tables = report.groups.map((g): Table => {
    // The table's title names its one currency: a symbol in every cell (MX$ in English) only made figures shrink to fit.
    const cells = (l: AgedLine) => [...l.amounts, l.total].map((a) => f.amount(a, g.currency));
    return {
      title: t.currency(g.currency),
      columns,
      rows: g.lines.map((l) => [l.customerId ?? '', l.customerName ?? '', ...cells(l)]),
      total: [t.totalOf(g.currency), '', ...cells(g.total)],
      empty: t.noItems,
    };
  });
  return {
    title: t.agedTitle,
    subtitle: `${t.asOf(f.date(report.asOf))} — ${report.currency ? t.inCurrency(report.currency) : t.documentCurrency}`,
    filters: filtersLine(report, locale),
    tables,
    empty: tables.length ? undefined : t.noItems,
  };
}
