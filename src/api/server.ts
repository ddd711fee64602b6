import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Warehouse } from '../db/warehouse.ts';
import type { AccessEntry } from './access-log.ts';
import { createApp } from './app.ts';
import { ApiContext, type ApiOptions } from './context.ts';
import { batchedLines } from './log-writer.ts';

export interface ServerOptions extends ApiOptions {
  dbPath: string;
  /** 0 picks a free port. */
  port: number;
  hostname?: string;
  /** Access log sink; default one JSON line per request on stdout; false for none. */
  log?: ((entry: AccessEntry) => void) | false;
}

export interface RunningServer {
  url: string;
  port: number;
  api: ApiContext;
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
  const wh = await Warehouse.open(opts.dbPath);
  let api: ApiContext;
  try {
    api = await ApiContext.create(wh, opts);
  } catch (err) {
    wh.close();
    throw err;
  }
  const stdout = batchedLines();
  const log = opts.log === false ? undefined : (opts.log ?? ((e: AccessEntry) => stdout.write(JSON.stringify(e))));
  const app = createApp(api, { log });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.hostname ?? '0.0.0.0' }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    api,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open; idle ones are dropped, busy ones finish first.
        (server as import('node:http').Server).closeIdleConnections?.();
      }).then(() => {
        stdout.flush();
        api.close();
        wh.close();
      });
      return closing;
    },
  };
}

/** Closes the server gracefully on SIGTERM or SIGINT, then ends the process. */
export function closeOnSignals(s: RunningServer, onClosed: () => void = () => process.exit(0)): void {
  const stop = (signal: string) => {
    process.stderr.write(`serve: ${signal}, closing after requests in flight\n`);
    void s.close().then(onClosed);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
