/** Month-end reports: the aged receivables report (data, XLSX, PDF) and the CFO's pack. */
export { readAged, parseReportCurrency, type AgedReport, type AgedRequest } from './aged.ts';
export { layoutAged, type AgedLayout } from './aged-layout.ts';
export { agedPdf } from './aged-pdf.ts';
export { agedXlsx } from './aged-xlsx.ts';
export { ReportError } from './errors.ts';
export { REPORT_LABELS } from './labels.ts';
