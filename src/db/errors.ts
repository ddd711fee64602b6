/**
 * Something the user gave cannot be used as it is: a file, an option, a request. Raised by the
 * domain that finds it (ingest, the models, the pipeline); each surface turns it into its own
 * answer, one line and exit code 1 on the CLI, a 400 problem from the API. The message says what
 * is wrong and, where it can, what to do.
 */
export class InputError extends Error {
  override name = 'InputError';
}
