/** Characters safe in a file name on every system: anything else in an id becomes '_'. */
const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || '_';

/**
 * The file name of a customer's statement: `statement_<customer id>_<as-of>.pdf`, the id made safe
 * for file systems ('ACME/01' -> 'statement_ACME_01_2024-06-30.pdf').
 */
export function statementFileName(customerId: string, asOf: string, ext = 'pdf'): string {
  return `statement_${safe(customerId)}_${asOf}.${ext}`;
}

/** The zip of several statements: `statements_<scope>_<as-of>.zip` (scope: a collector, a customer or all-open). */
export function statementsZipName(scope: string, asOf: string): string {
  return `statements_${safe(scope)}_${asOf}.zip`;
}
