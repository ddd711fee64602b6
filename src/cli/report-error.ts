import { debugging, InputError } from '../db/errors.ts';
import { UserError } from './command.ts';

/**
 * How the CLI reports an error that ends a command: its message, without a stack trace unless
 * `CARTERA_DEBUG` is set, and the exit code. A user's mistake (`UserError`, the domains'
 * `InputError`) is its message alone; anything else is a fault of cartera, said as such.
 */
export function reportError(err: unknown): { text: string; code: number } {
  if (debugging() && err instanceof Error && err.stack) return { text: err.stack, code: err instanceof UserError ? err.exitCode : 1 };
  if (err instanceof UserError) return { text: err.message, code: err.exitCode };
  if (err instanceof InputError) return { text: err.message, code: 1 };
  const message = err instanceof Error ? err.message : String(err);
  return { text: `${message}\n(an internal error: CARTERA_DEBUG=1 shows where it happened)`, code: 1 };
}
