/** Month-end reports: the aged receivables report (data, XLSX, PDF) and the CFO's pack. */
export { readAged, parseReportCurrency, type AgedReport, type AgedRequest } from './aged.ts';
export { layoutAged, type AgedLayout } from './aged-layout.ts';
export { agedPdf } from './aged-pdf.ts';
export { agedXlsx } from './aged-xlsx.ts';
export { ReportError } from './errors.ts';
export { REPORT_LABELS } from './labels.ts';
export { readPack, type PackData } from './pack-data.ts';
export { layoutPack, type PackLayout } from './pack-layout.ts';
export { packPdf } from './pack-pdf.ts';
export { agedFileName, packFileName } from './file-names.ts';
