import { badRequest } from './problem.ts';

/** Where a page ended: the sort key and id of its last row, and the sort it was made for. */
export interface CursorState {
  sort: string;
  order: 'asc' | 'desc';
  value: string | null;
  id: string;
}

/** An opaque cursor: clients pass it back as is, and must not build one. */
export function encodeCursor(s: CursorState): string {
  return Buffer.from(JSON.stringify([s.sort, s.order, s.value, s.id])).toString('base64url');
}

/** Reads a cursor back, refusing one that is malformed or was made for another sort. */
export function decodeCursor(cursor: string, sort: string, order: string): CursorState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badRequest(`query parameter 'cursor': not a cursor this API issued; pass next_cursor from the previous page`);
  }
  const ok =
    Array.isArray(parsed) && parsed.length === 4 && typeof parsed[3] === 'string' && (parsed[2] === null || typeof parsed[2] === 'string');
  if (!ok) throw badRequest(`query parameter 'cursor': not a cursor this API issued; pass next_cursor from the previous page`);
  const [s, o, value, id] = parsed as [string, 'asc' | 'desc', string | null, string];
  if (s !== sort || o !== order) {
    throw badRequest(`query parameter 'cursor': it was made for sort=${s}&order=${o}; keep the same sort and order while paging`);
  }
  return { sort: s, order: o, value, id };
}
