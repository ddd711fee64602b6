/**
 * The client half of running a command inside a server (the server half is local-server.ts): a
 * running `cartera serve` leaves a note beside its warehouse, and a command on that warehouse is
 * sent to it over a local socket. Without a note (the usual case) nothing more is loaded: the HTTP
 * client and the terminal prompt are imported only when a command is really forwarded, so as not
 * to slow every command's start-up.
 */
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { resolveDbPath } from '../db/path.ts';
import { parseCommandLine, UserError, type Command } from './command.ts';
import { findCommand } from './dispatch.ts';

/** What a running server leaves beside the warehouse so the CLI finds it. */
export interface ServerNote {
  pid: number;
  url: string;
  socket: string;
  /** The only folder besides its inbox the server may read exports from (its instance is locked down). */
  uploads: string;
}

export const notePath = (db: string) => `${db}.serve.json`;

/** Commands that need the warehouse to themselves: they cannot run inside a server. */
const EXCLUSIVE = new Set(['serve', 'demo', 'vacuum']);

/**
 * Runs a command inside the server holding its warehouse, when one does: its output and exit
 * code come back as if it had run here. Returns undefined when no server holds it (run locally).
 */
export async function forwardToServer(argv: string[]): Promise<number | undefined> {
  const cmd = await findCommand(argv).catch(() => undefined);
  if (!cmd || !('db' in cmd.options) || argv.includes('--help') || argv.includes('-h')) return undefined;
  const db = resolveDbPath(dbFlag(argv));
  const note = runningServer(db);
  if (!note) return undefined;
  if (EXCLUSIVE.has(cmd.name)) {
    const what = cmd.name === 'vacuum' ? 'stop it first' : `open ${note.url}, or stop it first (pid ${note.pid})`;
    process.stderr.write(`cartera ${cmd.name}: a server is already running on ${db} at ${note.url}; ${what}\n`);
    return 1;
  }
  let secret: string | null;
  try {
    secret = await secretOf(cmd, argv.slice(1));
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    process.stderr.write(`cartera: ${err.message}\n`);
    return err.exitCode;
  }
  return send(note.socket, uploadExports(cmd, absolutePaths(cmd, argv), note.uploads), secret);
}

/** The secret the command line needs, read here (this terminal, this stdin): the server cannot ask for it. */
async function secretOf(cmd: Command, args: string[]): Promise<string | null> {
  let parsed;
  try {
    parsed = parseCommandLine(cmd, args);
  } catch {
    // The server reports a bad command line as it would any other.
    return null;
  }
  const spec = cmd.secret?.(parsed.values, parsed.positionals);
  return spec ? (await import('./secret.ts')).readSecret(spec) : null;
}

/**
 * The exports an `ingest` or `refresh --inbox` names, copied into the server's upload folder
 * (a new folder per command, file names kept: ingest reads entities from them), since the
 * server's DuckDB may read files only there.
 */
function uploadExports(cmd: Command, argv: string[], uploads: string): string[] {
  const dir = join(uploads, `cli-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  const copy = (path: string) => {
    const target = join(dir, String(Math.random()).slice(2, 8), basename(path));
    cpSync(path, target, { recursive: true });
    return target;
  };
  if (cmd.name === 'ingest') return argv.map((a, i) => (i > 0 && !a.startsWith('-') && isAbsolute(a) && existsSync(a) ? copy(a) : a));
  return argv.map((a, i) => (argv[i - 1] === '--inbox' && existsSync(a) ? copy(a) : a));
}

/** The live server's note for `db`, removing a note left by one that died. */
function runningServer(db: string): ServerNote | undefined {
  const path = notePath(db);
  if (!existsSync(path)) return undefined;
  try {
    const note = JSON.parse(readFileSync(path, 'utf8')) as ServerNote;
    process.kill(note.pid, 0);
    return existsSync(note.socket) ? note : undefined;
  } catch {
    rmSync(path, { force: true });
    return undefined;
  }
}

function dbFlag(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--db') return argv[i + 1];
    if (argv[i].startsWith('--db=')) return argv[i].slice(5);
  }
  return undefined;
}

/** Paths given relative to this shell's folder, made absolute: the server runs in its own. */
function absolutePaths(cmd: Command, argv: string[]): string[] {
  const pathOption = new Set(Object.entries(cmd.options).filter(([, o]) => /PATH|FILE|DIR/.test(o.placeholder ?? '')).map(([k]) => `--${k}`));
  const pathArgs = /PATH|FILE/.test(cmd.args ?? '');
  const out = [argv[0]];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const [flag, value] = a.split(/=(.*)/s, 2);
    if (pathOption.has(flag) && value !== undefined) out.push(`${flag}=${resolve(value)}`);
    else if (pathOption.has(a) && i + 1 < argv.length) out.push(a, resolve(argv[++i]));
    else if (a.startsWith('-')) {
      out.push(a);
      const spec = cmd.options[a.slice(2)];
      if (spec?.type === 'string' && i + 1 < argv.length) out.push(argv[++i]);
    } else out.push(pathArgs && existsSync(a) ? resolve(a) : a);
  }
  return out;
}

/** Sends a command line (and its secret) over the socket and relays what comes back. */
async function send(socket: string, argv: string[], secret: string | null): Promise<number> {
  const { request } = await import('node:http');
  return new Promise((ok, fail) => {
    const req = request({ socketPath: socket, path: '/run', method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
      let buf = '';
      let code = 1;
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const f = JSON.parse(buf.slice(0, nl)) as { fd?: 1 | 2; data?: string; code?: number };
          buf = buf.slice(nl + 1);
          if (f.code !== undefined) code = f.code;
          else (f.fd === 2 ? process.stderr : process.stdout).write(Buffer.from(f.data!, 'base64'));
        }
      });
      res.on('end', () => ok(code));
    });
    req.on('error', fail);
    req.end(JSON.stringify({ argv, secret }));
  });
}
