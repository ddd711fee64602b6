import { InputError } from '../db/errors.ts';

/**
 * A refresh asked for something that cannot be done; the surfaces show its message as it is. `es` says the same in
 * Spanish, for the pages that show a failed refresh (`refresh_runs.error_es`).
 */
export class RefreshError extends InputError {
  constructor(
    message: string,
    readonly es?: string,
  ) {
    super(message);
  }
}
