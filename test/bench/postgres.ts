/**
 * PostgreSQL 15 from Debian's `postgresql` package, started by the bench in a temporary folder on
 * a local socket only (no TCP), for the peer column of the ingest benchmark: `COPY ... FROM` of the
 * same CSV into a typed table, the way a user would load an export into PostgreSQL. When the
 * package is absent, `startPostgres` answers null and the bench says so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { measure, type ProcessRun } from './ingest.ts';

export interface Postgres {
  /** Runs `psql -c sql` as the server's owner; returns its output. */
  psql(sql: string): string;
  /** Times `COPY table FROM 'csv' (FORMAT csv, HEADER)`, run by the server itself (a psql process, measured like the others). */
  copy(table: string, csv: string): Promise<ProcessRun>;
  stop(): void;
}

/** The folder holding initdb and pg_ctl, or null without the package. */
function binDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const version = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl'))).sort().pop();
  return version ? join(base, version, 'bin') : null;
}

/** PostgreSQL refuses to run as root: as root, its commands run as the package's `postgres` user. */
function asOwner(cmd: string, args: string[]): [string, string[]] {
  return userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

export function startPostgres(): Postgres | null {
  const bin = binDir();
  if (!bin) return null;
  const dir = mkdtempSync(join(tmpdir(), 'cartera-pg-'));
  if (userInfo().uid === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const run = (cmd: string, args: string[]) => {
    const [c, a] = asOwner(join(bin, cmd), args);
    const r = spawnSync(c, a, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  run('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-k ${dir} -c listen_addresses=''`, 'start']);
  const psqlArgs = (sql: string) => ['-h', dir, '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qAtc', sql];
  return {
    psql: (sql) => run('psql', psqlArgs(sql)),
    copy: (table, csv) => {
      const [c, a] = asOwner(join(bin, 'psql'), psqlArgs(`copy ${table} from '${csv.replace(/'/g, "''")}' (format csv, header)`));
      return measure(c, a);
    },
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
