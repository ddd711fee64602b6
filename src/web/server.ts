import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { NoWarehouseError } from '../db/errors.ts';
import { Warehouse } from '../db/warehouse.ts';
import type { AccessEntry } from '../api/access-log.ts';
import { createApp } from './app.ts';
import { ApiContext, type ApiOptions } from '../api/context.ts';
import { batchedLines } from '../api/log-writer.ts';
import { runRefresh, startScheduler, type Scheduler } from '../pipeline/index.ts';


export interface ServerOptions extends ApiOptions {
  dbPath: string;
  /** 0 picks a free port. */
  port: number;
  /** Address to listen on; 127.0.0.1 (this machine only) unless the deployer says otherwise. */
  hostname?: string;
  /** Access log sink; default one JSON line per request on stdout; false for none. */
  log?: ((entry: AccessEntry) => void) | false;
  /** Refresh at these cron times (e.g. "0 6 * * *"), and whenever the inbox (`exportDir`) settles after a change. */
  schedule?: { cron?: string; watchInbox?: boolean };
}

export interface RunningServer {
  url: string;
  /** The address it listens on, as bound. */
  host: string;
  port: number;
  api: ApiContext;
  /** The refresh schedule, when one was asked for. */
  scheduler?: Scheduler;
  /** Stops accepting, lets requests in flight finish, then closes the warehouse. */
  close(): Promise<void>;
}


/**
 * Opens the warehouse read-write (this process becomes its only writer), prepares it for
 * serving, and listens.
 *
 * @example
 *   const s = await startServer({ dbPath: 'data/warehouse.duckdb', port: 8080 });
 *   // ... later
 *   await s.close();
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  // A server serves a warehouse something loaded; it never starts an empty one at a mistyped path.
  if (!existsSync(opts.dbPath)) throw new NoWarehouseError(opts.dbPath);
  const wh = await Warehouse.open(opts.dbPath);
  let api: ApiContext;
  try {
    api = await ApiContext.create(wh, { prepareAnalystCopies: true, ...opts });
  } catch (err) {
    wh.close();
    throw err;
  }
  const stdout = batchedLines();
  const log = opts.log === false ? undefined : (opts.log ?? ((e: AccessEntry) => stdout.write(JSON.stringify(e))));
  const app = createApp(api, { log });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.hostname ?? '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  const { port, address: host } = server.address() as AddressInfo;
  // A wildcard bind is reached through this machine's own address.
  const reach = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const scheduler = opts.schedule && (opts.schedule.cron || opts.schedule.watchInbox) ? schedule(api, opts.schedule) : undefined;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${reach}:${port}`,
    host,
    port,
    api,
    scheduler,
    close() {
      scheduler?.stop();
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open; idle ones are dropped, busy ones finish first.
        (server as import('node:http').Server).closeIdleConnections?.();
      }).then(async () => {
        stdout.flush();
        await api.close();
        wh.close();
      });
      return closing;
    },
  };
}

/** Refreshes inside the server (its one writer), on the cron's times and when the inbox settles. */
function schedule(api: ApiContext, s: NonNullable<ServerOptions['schedule']>): Scheduler {
  return startScheduler({
    cron: s.cron,
    inbox: s.watchInbox && api.exportDir ? api.exportDir : undefined,
    refresh: async (trigger) => {
      await api.write(() =>
        runRefresh(api.wh, { inbox: api.exportDir ? [api.exportDir] : undefined, onlyIfNew: true, trigger, dbPath: api.wh.path }),
      );
    },
    onError: (err, trigger) => process.stderr.write(`serve: ${trigger} refresh failed, previous publication kept: ${err.message}\n`),
  });
}

/**
 * Closes the server gracefully on SIGTERM or SIGINT, then ends the process. `beforeClose` ends
 * work of the server's own first (the demo's background backtest), which must not outlive the warehouse.
 */
export function closeOnSignals(s: RunningServer, onClosed: () => void = () => process.exit(0), beforeClose?: () => Promise<unknown>): void {
  const stop = (signal: string) => {
    process.stderr.write(`serve: ${signal}, closing after requests in flight\n`);
    void Promise.resolve(beforeClose?.())
      .catch(() => {})
      .then(() => s.close())
      .then(onClosed);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
