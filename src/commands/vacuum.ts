import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dbOption, type Command } from '../cli/command.ts';
import { NoWarehouseError } from '../db/errors.ts';
import { stdout } from '../cli/output.ts';
import { resolveDbPath, withWarehouse } from '../db/warehouse.ts';
import { dropOrphanSchemas } from '../models/publish.ts';

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export const vacuumCommand: Command = {
  name: 'vacuum',
  options: { ...dbOption },
  details: `DuckDB reuses the space of dropped builds but never gives it back to the file system. This
copies every schema, table, view, macro and sequence into a new file (DuckDB's COPY FROM DATABASE)
and then swaps it in, so a kill at any point leaves the original file as it was.
The warehouse must not be in use (stop cartera serve first).`,
  async run(opts) {
    const path = resolveDbPath(opts.db as string | undefined);
    if (!existsSync(path)) throw new NoWarehouseError(path);
    const tmp = `${path}.vacuum-tmp`;
    rmSync(tmp, { force: true });
    rmSync(`${tmp}.wal`, { force: true });
    const before = statSync(path).size;
    const dropped = await withWarehouse(path, async (wh) => {
      const orphans = await dropOrphanSchemas(wh);
      await wh.run('checkpoint');
      const db = await wh.scalar<string>('select current_database()');
      await wh.run(`attach '${tmp.replace(/'/g, "''")}' as cartera_vacuum`);
      try {
        await wh.run(`copy from database "${db!.replace(/"/g, '""')}" to cartera_vacuum`);
      } finally {
        await wh.run('detach cartera_vacuum');
      }
      return orphans;
    });
    rmSync(`${path}.wal`, { force: true });
    renameSync(tmp, path);
    const after = statSync(path).size;
    const orphans = dropped.length ? `, ${dropped.length} unpublished schema(s) dropped` : '';
    stdout.write(`vacuum: ${path} ${mib(before)} -> ${mib(after)}${orphans}\n`);
  },
};
