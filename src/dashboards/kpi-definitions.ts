/**
 * Names and definitions of the KPIs tiles show, in Spanish and English: the tooltip of each tile.
 * The formulas are the ones kpi_monthly_by_dimension computes.
 */
export const KPI_DEFINITIONS: Record<string, { name: { es: string; en: string }; definition: { es: string; en: string } }> = {
  open_ar: {
    name: { es: 'Cartera abierta', en: 'Open AR' },
    definition: {
      es: 'Saldo por cobrar al cierre del mes (o a la fecha de corte), incluidos pagos sin aplicar.',
      en: 'Receivables open at the month end (or the as-of), including unapplied payments.',
    },
  },
  overdue_pct: {
    name: { es: '% vencido', en: 'Overdue %' },
    definition: {
      es: 'Saldo vencido al cierre / cartera abierta al cierre × 100.',
      en: 'Past-due balance at the end / open AR at the end × 100.',
    },
  },
  dso_standard: {
    name: { es: 'DSO', en: 'DSO' },
    definition: {
      es: 'Días de venta en la calle: cartera al cierre / ventas a crédito de los últimos 3 meses × días de esos meses.',
      en: 'Days sales outstanding: AR at the end / credit sales of the last 3 months × days in those months.',
    },
  },
  dso_countback: {
    name: { es: 'DSO (cuenta regresiva)', en: 'Countback DSO' },
    definition: {
      es: 'Días hacia atrás, mes a mes desde el más reciente, que hacen falta para que las ventas a crédito cubran la cartera al cierre.',
      en: 'Days counted back, month by month from the latest, until credit sales add up to the AR at the end.',
    },
  },
  best_possible_dso: {
    name: { es: 'Mejor DSO posible', en: 'Best possible DSO' },
    definition: {
      es: 'Cartera al corriente (no vencida) / ventas a crédito de los últimos 3 meses × días.',
      en: 'Current (not past-due) AR / credit sales of the last 3 months × days.',
    },
  },
  add_days: {
    name: { es: 'Días de atraso (ADD)', en: 'Average days delinquent' },
    definition: { es: 'ADD = DSO − mejor DSO posible.', en: 'ADD = DSO − best possible DSO.' },
  },
  cei_pct: {
    name: { es: 'CEI', en: 'CEI' },
    definition: {
      es: 'Índice de eficacia de cobranza: (cartera inicial + ventas − cartera final) / (cartera inicial + ventas − cartera final al corriente) × 100.',
      en: 'Collection effectiveness index: (AR begin + sales − AR end) / (AR begin + sales − current AR end) × 100.',
    },
  },
  bad_debt_ratio_pct: {
    name: { es: 'Incobrables', en: 'Bad-debt ratio' },
    definition: { es: 'Castigos del mes / ventas a crédito del mes × 100.', en: 'Write-offs of the month / credit sales of the month × 100.' },
  },
  collections: {
    name: { es: 'Cobrado en el mes', en: 'Collected this month' },
    definition: { es: 'Efectivo recibido en el mes, aplicado o no.', en: 'Cash received in the month, applied or not.' },
  },
};
