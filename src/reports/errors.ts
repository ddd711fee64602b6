import { InputError } from '../db/errors.ts';

/**
 * A report cannot be made as asked: an as-of past the data, a currency without a rate that day, a
 * locale without labels. The CLI prints it; the API answers 400.
 */
export class ReportError extends InputError {
  override name = 'ReportError';
}
