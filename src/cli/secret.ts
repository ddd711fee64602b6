import { AsyncLocalStorage } from 'node:async_hooks';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { UserError } from './command.ts';

/** How a command asks for a secret (a password): never on the command line, where `ps` and shell history keep it. */
export interface SecretSpec {
  /** Shown on the terminal, e.g. "Password for ana". */
  prompt: string;
  /** `--password-stdin`: read stdin even from a terminal, never prompt. */
  stdinOnly?: boolean;
}

/** The secret a client sent with a command the server runs for it (null: the client sent none). */
const forwarded = new AsyncLocalStorage<string | null>();

/** Runs `fn` (a command run inside the server) with the secret its client read; `readSecret` returns it instead of reading the server's stdin. */
export function withSecret<T>(secret: string | null, fn: () => Promise<T>): Promise<T> {
  return forwarded.run(secret, fn);
}

/**
 * Reads a secret for a command: the one its client forwarded, else stdin when piped (one line:
 * `printf '%s\n' "$PW" | cartera user add ...`), else a prompt on the terminal, asked twice, with
 * nothing echoed.
 */
export async function readSecret(spec: SecretSpec): Promise<string> {
  const sent = forwarded.getStore();
  if (sent !== undefined) {
    if (sent === null) throw new UserError(`${spec.prompt}: the client sent no password`);
    return sent;
  }
  if (!process.stdin.isTTY || spec.stdinOnly) return firstLine(await readAll());
  const first = await prompt(`${spec.prompt}: `);
  if ((await prompt('Again, to confirm: ')) !== first) throw new UserError('the two passwords differ');
  return first;
}

function readAll(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => (text += d));
    process.stdin.once('end', () => resolve(text));
    process.stdin.once('error', reject);
  });
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0];
  if (!line) throw new UserError('no password on stdin: pipe it in, e.g. printf \'%s\\n\' "$PASSWORD" | cartera user add ...');
  return line;
}

/** One line from the terminal, not echoed. */
function prompt(question: string): Promise<string> {
  process.stderr.write(question);
  const silent = new Writable({ write: (_chunk, _enc, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  return new Promise<string>((resolve, reject) => {
    rl.question('', resolve);
    rl.on('SIGINT', () => reject(new UserError('cancelled', 130)));
  }).finally(() => {
    rl.close();
    process.stderr.write('\n');
  });
}
