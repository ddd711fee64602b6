import type { Warehouse } from '../db/warehouse.ts';

/**
 * Locks the DuckDB instance down for serving: files only inside `dirs` (the upload folder, the
 * export folder), no other file or network access, and no configuration change by any SQL
 * afterwards. It applies to every connection of the instance, the analyst sandbox included.
 */
export async function lockDown(wh: Warehouse, dirs: string[]): Promise<void> {
  const list = dirs.map((d) => (d.endsWith('/') ? d : d + '/'));
  // SET takes no bound parameters; the paths come from the server's own configuration, and are quoted.
  const literal = `[${list.map((d) => `'${d.replace(/'/g, "''")}'`).join(', ')}]`;
  await wh.run(`set allowed_directories = ${literal}`);
  await wh.run(`set enable_external_access = false`);
  await wh.run(`set lock_configuration = true`);
}
