/**
 * People who sign in, for the tests on the demo warehouse: one user per role, plus a collections
 * user limited to one collector (as `keys.ts` makes keys for scripts).
 */
import { ensureApiSchema } from '../../src/api/schema.ts';
import { addUser } from '../../src/api/users.ts';
import type { Role } from '../../src/api/roles.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';

/** A user's name and password, as typed on the sign-in page. */
export interface Credentials {
  user: string;
  password: string;
}

export interface RoleUsers {
  cfo: Credentials;
  collections: Credentials;
  own: Credentials;
  analyst: Credentials;
  admin: Credentials;
}

const WHO: [keyof RoleUsers, Role][] = [
  ['cfo', 'cfo'],
  ['collections', 'collections'],
  ['own', 'collections'],
  ['analyst', 'analyst'],
  ['admin', 'admin'],
];

/** One user per role (and `own`, limited to `collector`) in an open warehouse. */
export async function createUsers(wh: Warehouse, collector: string): Promise<RoleUsers> {
  await ensureApiSchema(wh);
  const out = {} as RoleUsers;
  for (const [who, role] of WHO) {
    const c = { user: `u-${who}`, password: `${who}-Contraseña-1` };
    await addUser(wh, { name: c.user, role, collector: who === 'own' ? collector : null, password: c.password });
    out[who] = c;
  }
  return out;
}
