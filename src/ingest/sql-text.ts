/** Quotes a SQL identifier. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** Quotes a SQL string literal (only for values we generated or validated, never raw user SQL). */
export const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
