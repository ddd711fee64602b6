import { InputError } from '../db/errors.ts';

/**
 * A cadence file that cannot be used: its message names the file and the key
 * (`data/cadences/default.yaml: levels.2.days: ...`). The CLI prints it as one line, as any
 * InputError; the API answers it as a server-side problem, since the cadences are the server's
 * configuration, not the caller's.
 */
export class CadenceError extends InputError {
  override name = 'CadenceError';
}
