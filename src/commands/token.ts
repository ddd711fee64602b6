import { dbOption, UserError, type Command } from '../cli/command.ts';
import { stdout, stderr } from '../cli/output.ts';
import { resolveDbPath, withWarehouse } from '../db/warehouse.ts';
import { ensureApiSchema, utcTitle } from '../api/schema.ts';
import { ROLES, type Role } from '../api/roles.ts';
import { createToken, listTokens, revokeToken } from '../api/tokens.ts';
import { toTextTable } from '../db/writers.ts';

const USAGE = 'token create --role ROLE --name NAME [--collector C] | token list | token revoke ID';

export const tokenCommand: Command = {
  name: 'token',
  args: 'create|list|revoke [ID]',
  options: {
    ...dbOption,
    role: { type: 'string', description: `create: ${ROLES.join('|')}`, placeholder: 'ROLE' },
    name: { type: 'string', description: 'create: who or what the key is for', placeholder: 'NAME' },
    collector: { type: 'string', description: "create: limit the key to one collector's portfolio", placeholder: 'C' },
  },
  details: `'create' prints the new key alone on its last line; it is stored hashed and never shown again.
Scripts send it as Authorization: Bearer <key>. While 'cartera serve' runs, this command runs inside
the server, and a revocation takes effect at once (so does DELETE /api/admin/tokens/{id}).`,
  async run(opts, positionals) {
    const [action, id] = positionals;
    const dbPath = resolveDbPath(opts.db as string | undefined);
    switch (action) {
      case 'create': {
        const role = opts.role as string | undefined;
        if (!role || !ROLES.includes(role as Role)) throw new UserError(`token create: --role must be one of ${ROLES.join(', ')}`, 2);
        const name = opts.name as string | undefined;
        if (!name) throw new UserError('token create: give --name (who or what the key is for)', 2);
        const collector = opts.collector as string | undefined;
        const { tokenId, key } = await withWarehouse(dbPath, async (wh) => {
          await ensureApiSchema(wh);
          return createToken(wh, { role: role as Role, name, collector });
        });
        stderr.write(`created ${tokenId} (${role}${collector ? `, collector ${collector}` : ''}) for ${name}; the key is shown only now:\n`);
        stdout.write(`${key}\n`);
        return 0;
      }
      case 'list': {
        const rows = await withWarehouse(dbPath, async (wh) => {
          await ensureApiSchema(wh);
          return listTokens(wh);
        });
        const cols = ['token_id', 'name', 'role', 'collector', 'created', 'revoked_at'] as const;
        stdout.write(toTextTable(cols.map(utcTitle), rows.map((r) => cols.map((c) => r[c]))));
        return 0;
      }
      case 'revoke': {
        if (!id) throw new UserError('token revoke: give the token id (see cartera token list)', 2);
        const ok = await withWarehouse(dbPath, async (wh) => {
          await ensureApiSchema(wh);
          return revokeToken(wh, id);
        });
        if (!ok) throw new UserError(`token revoke: no live key with id '${id}'`);
        stderr.write(`revoked ${id}\n`);
        return 0;
      }
      default:
        throw new UserError(`usage: cartera ${USAGE}`, 2);
    }
  },
};
