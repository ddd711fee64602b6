/** Statements of account (estado de cuenta): read from the marts, laid out once, drawn as HTML or PDF. */
export { statementAsOf } from './as-of.ts';
export { companyPath, loadCompany, type Company } from './company.ts';
export { StatementError } from './errors.ts';
export { statementFileName, statementsZipName } from './file-names.ts';
export { statementHtml } from './html.ts';
export { layoutStatement, type Column, type Layout, type Table } from './layout.ts';
export { LABELS as STATEMENT_LABELS } from './labels.ts';
export { customerLocale, parseLocale, type StatementLocale } from './locale.ts';
export { statementPdf } from './pdf.ts';
export { BODY, BOLD, drawTable, ensureRoom, MARGIN, newPdf, pageFeet, REGULAR, ROW, winAnsi, type Doc } from './pdf-kit.ts';
export { collectorNames, readStatement, readStatements, RECENT_DAYS, type StatementScope } from './query.ts';
export type { Read, StatementData } from './types.ts';
