import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Warehouse } from '../db/warehouse.ts';
import type { Principal, Role } from './roles.ts';
import { UTC_NOW } from './schema.ts';

/** A stored key, as listed (never the key itself: only its hash is kept). */
export interface TokenRow {
  token_id: string;
  name: string;
  role: Role;
  collector: string | null;
  created: string;
  revoked_at: string | null;
}

/** sha256 hex of a key: what `api_tokens.key_hash` holds. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Creates a key and stores its hash; returns the key, which is shown once and never again.
 *
 * @example
 *   const { key } = await createToken(wh, { role: 'collections', name: 'Ana', collector: 'ana' });
 */
export async function createToken(
  wh: Warehouse,
  t: { role: Role; name: string; collector?: string | null },
): Promise<{ tokenId: string; key: string }> {
  const key = 'ck_' + randomBytes(24).toString('base64url');
  const tokenId = 'tk_' + randomBytes(5).toString('hex');
  await wh.run(
    `insert into api_tokens (token_id, name, role, collector, key_hash, created)
     values ($1, $2, $3, $4, $5, ${UTC_NOW})`,
    [tokenId, t.name, t.role, t.collector ?? null, hashKey(key)],
  );
  return { tokenId, key };
}

/** Every key ever created, newest first. */
export async function listTokens(wh: Warehouse): Promise<TokenRow[]> {
  return wh.all<TokenRow>(
    `select token_id, name, role, collector, created, revoked_at from api_tokens order by created desc, token_id`,
  );
}

/** Marks a key revoked; false when no live key has that id. */
export async function revokeToken(wh: Warehouse, tokenId: string): Promise<boolean> {
  const n = await wh.scalar<number>(
    `update api_tokens set revoked_at = ${UTC_NOW} where token_id = $1 and revoked_at is null returning 1`,
    [tokenId],
  );
  return n === 1;
}

interface LiveKey {
  hash: Buffer;
  principal: Principal;
}

/**
 * The live keys, held in memory: the server is the only process that can write the warehouse
 * while it runs (CLI commands run inside it), so reloading after its own changes, and after each
 * command it runs, keeps this current without a query per request.
 */
export class KeyRing {
  private keys: LiveKey[] = [];

  async load(wh: Warehouse): Promise<void> {
    const rows = await wh.all<{ token_id: string; name: string; role: Role; collector: string | null; key_hash: string }>(
      `select token_id, name, role, collector, key_hash from api_tokens where revoked_at is null`,
    );
    this.keys = rows.map((r) => ({
      hash: Buffer.from(r.key_hash, 'hex'),
      principal: { role: r.role, name: r.name, collector: r.collector, subject: `key:${r.token_id}`, tokenId: r.token_id, userId: null },
    }));
  }

  /** The principal a key belongs to. Every stored hash is compared in constant time, so timing says nothing about near misses. */
  identify(key: string): Principal | undefined {
    const h = createHash('sha256').update(key, 'utf8').digest();
    let found: Principal | undefined;
    for (const k of this.keys) if (k.hash.length === h.length && timingSafeEqual(k.hash, h)) found = k.principal;
    return found;
  }
}
