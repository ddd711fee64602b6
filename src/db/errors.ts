/**
 * Something the user gave cannot be used as it is: a file, an option, a request. Raised by the
 * domain that finds it (ingest, the models, the pipeline); each surface turns it into its own
 * answer, one line and exit code 1 on the CLI, a 400 problem from the API. The message says what
 * is wrong and, where it can, what to do.
 */
export class InputError extends Error {
  override name = 'InputError';
}

/** `CARTERA_DEBUG=1`: errors keep their stack traces, on the command line and in the server's log. */
export const debugging = (): boolean => !!process.env.CARTERA_DEBUG && process.env.CARTERA_DEBUG !== '0';

/** No warehouse file where one was expected: a mistyped `--db`, or nothing loaded there yet. */
export class NoWarehouseError extends InputError {
  override name = 'NoWarehouseError';
  constructor(readonly path: string) {
    super(`no warehouse at ${path}: check --db, or load one: cartera ingest PATH`);
  }
}
