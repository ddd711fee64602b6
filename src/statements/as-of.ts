import { StatementError } from './errors.ts';
import type { Read } from './types.ts';

/**
 * The as-of a statement is made at: the one asked for (an ISO date, checked at the edge), or the
 * published data's own. A date after the data's is refused: the warehouse knows nothing of
 * payments after it, so a later statement would overstate the balance.
 */
export async function statementAsOf(read: Read, requested?: string): Promise<string> {
  const [row] = await read(`select as_of::varchar as as_of from build_options`);
  const dataAsOf = String(row?.as_of ?? '');
  if (!dataAsOf) throw new StatementError('the warehouse has no published build: run cartera build first');
  if (requested === undefined) return dataAsOf;
  if (requested > dataAsOf) {
    throw new StatementError(`as-of ${requested} is after the data's as-of ${dataAsOf}: a statement can be made on or before ${dataAsOf}`);
  }
  return requested;
}
