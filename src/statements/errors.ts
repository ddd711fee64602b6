import { InputError } from '../db/errors.ts';

/**
 * A statement cannot be made as asked: an as-of past the data, a locale without labels, a company
 * file that does not parse. The CLI prints it; the API answers 400.
 */
export class StatementError extends InputError {
  override name = 'StatementError';
}
