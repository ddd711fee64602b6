import { STATEMENT_LABELS, type StatementLocale } from '../statements/index.ts';

type Language = StatementLocale['lang'];

/** Every text the reports show, in each language they are written in. */
export interface ReportLabels {
  agedTitle: string;
  sheet: string;
  asOf: (date: string) => string;
  inCurrency: (code: string) => string;
  documentCurrency: string;
  currency: (code: string) => string;
  filters: { segment: string; country: string; collector: string };
  customerId: string;
  customer: string;
  currencyColumn: string;
  total: string;
  totalOf: (code: string) => string;
  noItems: string;
  bucket: (label: string) => string;
  packTitle: string;
  kpiColumns: { kpi: string; value: string; previous: string; change: string };
  forecastColumns: { week: string; from: string; to: string; expected: string; invoices: string };
  noData: string;
  page: (n: number, of: number) => string;
}

const ES: ReportLabels = {
  agedTitle: 'Antigüedad de saldos',
  sheet: 'Antigüedad',
  asOf: (d) => `Al ${d}`,
  inCurrency: (c) => `Importes en ${c}, convertidos al tipo de cambio de los modelos`,
  documentCurrency: 'Importes en la moneda de cada documento; las monedas distintas no se suman entre sí.',
  currency: (c) => `Moneda: ${c}`,
  filters: { segment: 'Segmento', country: 'País', collector: 'Gestor' },
  customerId: 'No. de cliente',
  customer: 'Cliente',
  currencyColumn: 'Moneda',
  total: 'Total',
  totalOf: (c) => `Total ${c}`,
  noItems: 'Sin saldos abiertos con estos filtros.',
  bucket: STATEMENT_LABELS.es.bucket,
  packTitle: 'Paquete de cierre de mes',
  kpiColumns: { kpi: 'Indicador', value: 'Mes', previous: 'Mes anterior', change: 'Cambio' },
  forecastColumns: { week: 'Semana', from: 'Desde', to: 'Hasta', expected: 'Cobranza esperada', invoices: 'Documentos' },
  noData: 'Sin datos para esta fecha.',
  page: STATEMENT_LABELS.es.page,
};

const EN: ReportLabels = {
  agedTitle: 'Aged receivables',
  sheet: 'Aged receivables',
  asOf: (d) => `As of ${d}`,
  inCurrency: (c) => `Amounts in ${c}, converted at the models' exchange rates`,
  documentCurrency: "Amounts in each document's currency; different currencies are never added together.",
  currency: (c) => `Currency: ${c}`,
  filters: { segment: 'Segment', country: 'Country', collector: 'Collector' },
  customerId: 'Customer no.',
  customer: 'Customer',
  currencyColumn: 'Currency',
  total: 'Total',
  totalOf: (c) => `Total ${c}`,
  noItems: 'No open balances for these filters.',
  bucket: STATEMENT_LABELS.en.bucket,
  packTitle: 'Month-end pack',
  kpiColumns: { kpi: 'KPI', value: 'Month', previous: 'Previous month', change: 'Change' },
  forecastColumns: { week: 'Week', from: 'From', to: 'To', expected: 'Expected collections', invoices: 'Documents' },
  noData: 'No data for this date.',
  page: STATEMENT_LABELS.en.page,
};

export const REPORT_LABELS: Record<Language, ReportLabels> = { es: ES, en: EN };
