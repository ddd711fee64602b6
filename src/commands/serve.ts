import { dbOption, UserError, type Command } from '../cli/command.ts';
import { stderr } from '../cli/output.ts';
import { resolveDbPath } from '../db/warehouse.ts';
import { closeOnSignals, startServer, type RunningServer } from '../web/server.ts';
import { acceptLocalCommands } from '../cli/local-server.ts';
import { checkCron } from '../pipeline/index.ts';
import { checkFrameAncestors } from '../api/security-headers.ts';

export const serveCommand: Command = {
  name: 'serve',
  options: {
    ...dbOption,
    port: { type: 'string', description: 'port to listen on (default: $PORT or 8080)', placeholder: 'N' },
    host: { type: 'string', description: 'address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for every interface, behind HTTPS)', placeholder: 'ADDR' },
    inbox: { type: 'string', description: 'folder of exports that refreshes ingest; new or changed files are picked up once they stop changing', placeholder: 'DIR' },
    refresh: { type: 'string', description: 'refresh at these times, cron syntax, e.g. "0 6 * * *" (daily at 6:00)', placeholder: 'CRON' },
    exports: { type: 'string', description: 'export folder POST /api/admin/refresh ingests, not watched (default: $CARTERA_EXPORTS)', placeholder: 'DIR' },
    uploads: { type: 'string', description: 'folder for uploaded exports (default: uploads/ beside the warehouse)', placeholder: 'DIR' },
    quiet: { type: 'boolean', description: 'no access log' },
    'secure-cookies': { type: 'boolean', description: 'mark the sign-in cookie Secure even on plain HTTP (HTTPS ends at a proxy in front)' },
    'frame-ancestors': { type: 'string', description: 'origins that may show the pages in a frame, comma-separated (default: none may)', placeholder: 'ORIGINS' },
    'trust-proxy': { type: 'boolean', description: 'a proxy is in front: limit sign-ins by the last X-Forwarded-For address, read X-Forwarded-Proto' },
    'session-idle': { type: 'string', description: 'end a session after this many minutes without a request (default 30)', placeholder: 'MIN' },
    'session-max': { type: 'string', description: 'end a session this many hours after sign-in, however active (default 12)', placeholder: 'HOURS' },
  },
  details: `The server holds the warehouse read-write: other cartera commands on it run inside the server
instead, one writer at a time, and what they change (keys, users, data) takes effect at once.
People: cartera user add NAME --role cfo|collections|analyst|admin; they sign in at /login.
Scripts: cartera token create --role ROLE --name NAME, sent as Authorization: Bearer. Reference: /docs.
Analyst SQL time limit: $CARTERA_SQL_TIMEOUT_MS (default 10000).`,
  async run(opts) {
    const port = Number(opts.port ?? process.env.PORT ?? 8080);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`serve: --port must be 0-65535 (got '${String(opts.port)}')`, 2);
    const dbPath = resolveDbPath(opts.db as string | undefined);
    const cron = opts.refresh as string | undefined;
    if (cron !== undefined) {
      try {
        checkCron(cron);
      } catch (err) {
        throw new UserError(`serve: --refresh must be a cron expression such as "0 6 * * *" (${(err as Error).message})`, 2);
      }
    }
    const inbox = opts.inbox as string | undefined;
    const s = await startServer({
      schedule: { cron, watchInbox: inbox !== undefined },
      dbPath,
      port,
      hostname: opts.host as string | undefined,
      exportDir: inbox ?? (opts.exports as string | undefined),
      uploadDir: opts.uploads as string | undefined,
      log: opts.quiet ? false : undefined,
      secureCookies: opts['secure-cookies'] === true,
      trustProxy: opts['trust-proxy'] === true,
      frameAncestors: frameAncestors(opts['frame-ancestors'] as string | undefined),
      sessions: sessionPolicy(opts['session-idle'] as string | undefined, opts['session-max'] as string | undefined),
    }).catch((err: Error) => {
      throw new UserError(`serve: ${err.message}`);
    });
    await serveUntilSignal(s, dbPath, () => {
      const b = s.api.build;
      stderr.write(
        `cartera: serving ${dbPath} (build ${b.buildId ?? 'none'}, as of ${b.asOf ?? '-'}) on ${s.url} (listening on ${s.host}) — reference at /docs\n`,
      );
      if (s.scheduler) {
        const next = s.scheduler.next();
        stderr.write(`cartera: refreshing${next ? ` on "${cron}" (next ${next.toISOString()})` : ''}${inbox ? `${next ? ' and' : ''} when exports in ${inbox} change` : ''}\n`);
      }
    });
  },
};

/** Session lifetimes from --session-idle (minutes) and --session-max (hours). */
function sessionPolicy(idle: string | undefined, max: string | undefined): { idleMs?: number; absoluteMs?: number } {
  const positive = (v: string | undefined, flag: string, unit: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!(n > 0) || !Number.isFinite(n)) throw new UserError(`serve: ${flag} must be a positive number (got '${v}')`, 2);
    return n * unit;
  };
  const idleMs = positive(idle, '--session-idle', 60_000);
  const absoluteMs = positive(max, '--session-max', 3_600_000);
  return { ...(idleMs && { idleMs }), ...(absoluteMs && { absoluteMs }) };
}

/**
 * Lets CLI commands on the same warehouse run inside the server (one writer at a time, keys,
 * users and sessions re-read after each, so a revoked key, a disabled user or a changed password
 * takes effect at once), then serves until SIGTERM or SIGINT. `announce` runs once commands are
 * accepted; `beforeClose` ends the server's own background work on a signal.
 */
export async function serveUntilSignal(s: RunningServer, dbPath: string, announce: () => void = () => {}, beforeClose?: () => Promise<unknown>): Promise<never> {
  const stop = await acceptLocalCommands(dbPath, s.url, s.api.uploadDir, (fn) =>
    s.api.writeWhenFree(async () => {
      try {
        return await fn(s.api.wh);
      } finally {
        await s.api.credentialsChanged();
      }
    }),
  );
  announce();
  closeOnSignals(
    s,
    () => {
      stop();
      process.exit(0);
    },
    beforeClose,
  );
  return new Promise<never>(() => {});
}

/** Origins from --frame-ancestors, checked: a value a CSP could misread is a usage error. */
function frameAncestors(flag: string | undefined): string[] {
  if (!flag) return [];
  try {
    return checkFrameAncestors(flag.split(',').map((o) => o.trim()).filter(Boolean));
  } catch (err) {
    throw new UserError(`serve: --frame-ancestors: ${(err as Error).message}`, 2);
  }
}
