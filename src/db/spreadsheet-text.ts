/**
 * Formula injection (OWASP "CSV injection"): a spreadsheet opening a CSV evaluates a cell that
 * starts with = + - @ (or a tab or carriage return before one), so a customer named
 * `=HYPERLINK(...)` would become a live link or worse. Such text gets a leading apostrophe, which
 * Excel and LibreOffice read as "this is text". A value that is only a number (`-12.50`, `-12,50`)
 * or a phone number (`+52 55 1234 5678`, `+1 (704) 555-6316`) cannot call or reference anything,
 * so it is written as it is: an apostrophe there would only be shown to the reader.
 *
 * XLSX needs none of this: a string cell is text and never evaluated (see the exports' writers).
 */

// Full-width forms too: some spreadsheets fold them to their ASCII twins before parsing.
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A number: optional sign, digits, at most one decimal mark. */
const NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;
/** A phone: an optional +, then groups of digits (one in parentheses at most per group) with single spaces, dots or hyphens between. */
const PHONE = /^\+?(?:\(\d{1,5}\)|\d{1,5})(?:[ .\-]?(?:\(\d{1,5}\)|\d{1,5}))*$/;

/** Whether a value starts like a formula and is not a plain number or phone number. */
export function isFormulaRisk(s: string): boolean {
  if (!FORMULA_START.test(s)) return false;
  if (NUMBER.test(s)) return false;
  const digits = s.replace(/\D/g, '').length;
  return !(PHONE.test(s) && digits >= 7 && digits <= 15);
}

/**
 * The text to write into a CSV cell that a spreadsheet may open: risky text with a leading
 * apostrophe, everything else unchanged.
 *
 * @example
 *   spreadsheetSafe('=HYPERLINK("http://x")') // "'=HYPERLINK(\"http://x\")"
 *   spreadsheetSafe('+52 55 1234 5678')        // '+52 55 1234 5678'
 */
export function spreadsheetSafe(s: string): string {
  return isFormulaRisk(s) ? `'${s}` : s;
}
