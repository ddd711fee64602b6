import { dbOption, UserError, type Command } from '../cli/command.ts';
import { stderr, stdout } from '../cli/output.ts';
import { readSecret, type SecretSpec } from '../cli/secret.ts';
import { resolveDbPath, withWarehouse, type Warehouse } from '../db/warehouse.ts';
import { toTextTable } from '../db/writers.ts';
import { ROLES, type Role } from '../api/roles.ts';
import { ensureApiSchema, utcTitle } from '../api/schema.ts';
import { addUser, disableUser, listUsers, PASSWORD_MIN, setPassword, userName } from '../api/users.ts';

const USAGE = 'user add NAME --role ROLE [--collector C] | user list | user disable NAME | user passwd NAME';

const sessionsEnded = (n: number) => `${n} session${n === 1 ? '' : 's'} ended`;

/** The password `add` and `passwd` need, asked for before anything runs (and before a server runs the command). */
function secretOf(opts: Record<string, unknown>, [action, name]: string[]): SecretSpec | undefined {
  if ((action !== 'add' && action !== 'passwd') || !name) return undefined;
  return { prompt: `Password for ${name}`, stdinOnly: opts['password-stdin'] === true };
}

export const userCommand: Command = {
  name: 'user',
  args: 'add|list|disable|passwd [NAME]',
  options: {
    ...dbOption,
    role: { type: 'string', description: `add: ${ROLES.join('|')}`, placeholder: 'ROLE' },
    collector: { type: 'string', description: "add: a collections user who sees one collector's portfolio only", placeholder: 'C' },
    'password-stdin': { type: 'boolean', description: 'add, passwd: read the password from stdin even on a terminal (piped stdin is always read)' },
  },
  details: `The password is asked on the terminal (twice, not echoed), or read from stdin when piped:
  printf '%s\\n' "$PASSWORD" | cartera user add ana --role collections --collector "Ana Martínez"
It is never taken from the command line, stored only as a scrypt hash and never printed; at least ${PASSWORD_MIN} characters.
Names are lower-cased. 'disable' and 'passwd' end the user's sessions at once, on a running server too.
Scripts use API keys instead: cartera token create.`,
  secret: secretOf,
  async run(opts, positionals) {
    const [action, raw] = positionals;
    const dbPath = resolveDbPath(opts.db as string | undefined);
    const on = <T>(fn: (wh: Warehouse) => Promise<T>) =>
      withWarehouse(dbPath, async (wh) => {
        await ensureApiSchema(wh);
        return fn(wh);
      });
    if (action === 'list') {
      const rows = await on(listUsers);
      const cols = ['name', 'role', 'collector', 'created', 'password_changed', 'disabled_at', 'sessions'] as const;
      stdout.write(toTextTable(cols.map(utcTitle), rows.map((r) => cols.map((c) => r[c]))));
      return 0;
    }
    if (!['add', 'disable', 'passwd'].includes(action ?? '') || !raw) throw new UserError(`usage: cartera ${USAGE}`, 2);
    const name = userName(raw);
    if (action === 'add') {
      const role = opts.role as string | undefined;
      if (!role || !ROLES.includes(role as Role)) throw new UserError(`user add: --role must be one of ${ROLES.join(', ')}`, 2);
      const collector = (opts.collector as string | undefined) ?? null;
      const password = await readSecret(secretOf(opts, positionals)!);
      await on((wh) => addUser(wh, { name, role: role as Role, collector, password }));
      stderr.write(`added user '${name}' (${role}${collector ? `, collector ${collector}` : ''}); they sign in at /login\n`);
      return 0;
    }
    if (action === 'passwd') {
      const password = await readSecret(secretOf(opts, positionals)!);
      const done = await on((wh) => setPassword(wh, name, password));
      if (!done) throw new UserError(`user passwd: no user '${name}' (see cartera user list)`);
      stderr.write(`password of '${name}' changed; ${sessionsEnded(done.sessionsEnded)}\n`);
      return 0;
    }
    const done = await on((wh) => disableUser(wh, name));
    if (!done) throw new UserError(`user disable: no enabled user '${name}' (see cartera user list)`);
    stderr.write(`disabled '${name}'; ${sessionsEnded(done.sessionsEnded)}\n`);
    return 0;
  },
};
