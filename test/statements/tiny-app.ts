import { join } from 'node:path';
import { ApiContext } from '../../src/api/context.ts';
import { Warehouse } from '../../src/db/warehouse.ts';
import { createApp } from '../../src/web/app.ts';
import { createKeys, type RoleKeys } from '../support/keys.ts';

/** The web app over a warehouse of tiny-warehouse.ts, with one key per role. */
export interface TinyApp {
  wh: Warehouse;
  api: ApiContext;
  app: ReturnType<typeof createApp>;
  /** The `own` key covers collector Ana Ruiz: customers C1 and C3, not C2 or C4 (Bruno Díaz's). */
  keys: RoleKeys;
  /** GET through `app.request()` with a key. */
  get: (path: string, key?: string) => Promise<Response>;
  close: () => Promise<void>;
}

/** Opens the warehouse in `dir`/`db` and the real app on it (`app.request()`, no server). */
export async function tinyApp(t: { dir: string; db: string }): Promise<TinyApp> {
  const wh = await Warehouse.open(t.db);
  const keys = await createKeys(wh, 'Ana Ruiz');
  const api = await ApiContext.create(wh, { uploadDir: join(t.dir, 'uploads') });
  const app = createApp(api);
  return {
    wh,
    api,
    app,
    keys,
    get: async (path, key) => app.request(path, { headers: key ? { Authorization: `Bearer ${key}` } : {} }),
    close: async () => {
      await api.close();
      wh.close();
    },
  };
}
