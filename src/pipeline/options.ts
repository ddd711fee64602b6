import type { PublicationRequest } from '../models/builds-table.ts';
import type { Basis } from '../models/index.ts';

/**
 * Changes to what defines a publication. A field left out keeps the last publication's choice;
 * `asOf: 'latest'` (or `currency: 'auto'`) goes back to resolving it from the data.
 */
export interface RequestChanges {
  asOf?: string | 'latest';
  buckets?: number[];
  basis?: Basis;
  currency?: string | 'auto';
  lateDays?: number;
}

/**
 * The options the next publication is built with: the previous publication's request, with
 * `changes` applied. An as-of or currency given once is kept by later refreshes until changed,
 * so a daily refresh never moves a pinned month-end, and a re-score never forgets its late-days rule.
 *
 * @example
 *   resolveRequest({ asOf: '2025-06-30', lateDays: 0 }, { asOf: 'latest' }) // -> { lateDays: 0 }
 */
export function resolveRequest(previous: PublicationRequest | undefined, changes: RequestChanges | undefined): PublicationRequest {
  const merged: Record<string, unknown> = { ...(previous ?? {}) };
  for (const [k, v] of Object.entries(changes ?? {})) if (v !== undefined) merged[k] = v;
  if (merged.asOf === 'latest') delete merged.asOf;
  if (merged.currency === 'auto') delete merged.currency;
  return merged as PublicationRequest;
}
