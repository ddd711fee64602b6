/** The server half of running CLI commands inside a server (the client half is forward.ts). */
import { createHash } from 'node:crypto';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { holdWarehouse, type WarehouseHolder } from '../db/held.ts';
import { dispatch } from './dispatch.ts';
import { notePath, type ServerNote } from './forward.ts';
import { withOutput, type OutputSink } from './output.ts';
import { withSecret } from './secret.ts';

/** A Unix socket per warehouse, in the temp folder (socket paths are limited to about 100 bytes). */
const socketPath = (db: string) => join(tmpdir(), `cartera-${createHash('sha256').update(db).digest('hex').slice(0, 16)}.sock`);

/**
 * Lets CLI commands run inside this server while it holds the warehouse: a local socket (owner
 * only) takes a command line (and the secret its client read, if it needs one), runs it here on
 * the server's warehouse through `hold` (one writer at a time), and streams back its output and
 * exit code. Returns the function that stops it.
 */
export async function acceptLocalCommands(dbPath: string, url: string, uploads: string, hold: WarehouseHolder): Promise<() => void> {
  const db = resolve(dbPath);
  const socket = socketPath(db);
  rmSync(socket, { force: true });
  const release = holdWarehouse(db, hold);
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const frame = (f: object) => res.write(`${JSON.stringify(f)}\n`);
      const sink = (fd: 1 | 2): OutputSink => ({ write: (chunk) => frame({ fd, data: Buffer.from(chunk).toString('base64') }) });
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      let sent: { argv: string[]; secret?: string | null };
      try {
        sent = JSON.parse(body) as typeof sent;
      } catch {
        res.end(`${JSON.stringify({ code: 2 })}\n`);
        return;
      }
      void withSecret(sent.secret ?? null, () => withOutput(sink(1), sink(2), () => dispatch(sent.argv))).then((code) =>
        res.end(`${JSON.stringify({ code })}\n`),
      );
    });
  });
  await new Promise<void>((ok, fail) => server.listen(socket, ok).once('error', fail));
  chmodSync(socket, 0o600);
  writeFileSync(notePath(db), JSON.stringify({ pid: process.pid, url, socket, uploads } satisfies ServerNote));
  return () => {
    release();
    server.close();
    rmSync(socket, { force: true });
    rmSync(notePath(db), { force: true });
  };
}
