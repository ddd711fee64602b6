import { InputError } from '../db/errors.ts';
import { runCommand, UserError, type Command } from './command.ts';
import { stderr, stdout } from './output.ts';

/**
 * Each command's module, loaded only when that command runs: importing every command (the API
 * server, the dashboards, the model trainer, the XLSX reader) cost a second of start-up on every call.
 */
export const COMMANDS: Record<string, () => Promise<Command>> = {
  generate: () => import('../commands/generate.ts').then((m) => m.generateCommand),
  ingest: () => import('../commands/ingest.ts').then((m) => m.ingestCommand),
  query: () => import('../commands/query.ts').then((m) => m.queryCommand),
  demo: () => import('../commands/demo.ts').then((m) => m.demoCommand),
  refresh: () => import('../commands/refresh.ts').then((m) => m.refreshCommand),
  vacuum: () => import('../commands/vacuum.ts').then((m) => m.vacuumCommand),
  build: () => import('../commands/build.ts').then((m) => m.buildCommand),
  notebook: () => import('../commands/notebook.ts').then((m) => m.notebookCommand),
  serve: () => import('../commands/serve.ts').then((m) => m.serveCommand),
  token: () => import('../commands/token.ts').then((m) => m.tokenCommand),
  user: () => import('../commands/user.ts').then((m) => m.userCommand),
  score: () => import('../commands/score.ts').then((m) => m.scoreCommand),
  backtest: () => import('../commands/backtest.ts').then((m) => m.backtestCommand),
  'call-list': () => import('../commands/call-list.ts').then((m) => m.callListCommand),
  export: () => import('../commands/export.ts').then((m) => m.exportCommand),
};

/** Every command, loaded (for the command list and for tests). */
export const loadCommands = (): Promise<Command[]> => Promise.all(Object.values(COMMANDS).map((load) => load()));

/** The command `argv` names, or undefined when it names none. */
export async function findCommand(argv: string[]): Promise<Command | undefined> {
  const name = argv[0] ?? '';
  if (!Object.hasOwn(COMMANDS, name)) return undefined;
  const cmd = await COMMANDS[name]();
  if (cmd.name !== name) throw new Error(`command module for '${name}' exports '${cmd.name}'`);
  return cmd;
}

/**
 * Runs one CLI invocation (`argv` without node and the script) and returns its exit code. A
 * user's mistake is one line on stderr; anything else prints its stack (set `CARTERA_DEBUG`).
 */
export async function dispatch(argv: string[]): Promise<number> {
  try {
    const cmd = await findCommand(argv);
    if (cmd) return await runCommand(cmd, argv.slice(1));
    const name = argv[0];
    const commands = await loadCommands();
    const list = commands.map((c) => `  ${c.name.padEnd(12)}${c.summary}`).join('\n');
    const out = `Usage: cartera <command> [options]\n\nCommands:\n${list}\n\nRun 'cartera <command> --help' for a command's options.\n`;
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      stdout.write(out);
      return 0;
    }
    stderr.write(`cartera: unknown command '${name}'\n\n${out}`);
    return 2;
  } catch (err) {
    if (err instanceof UserError || err instanceof InputError) {
      stderr.write(`cartera: ${err.message}\n`);
      return err instanceof UserError ? err.exitCode : 1;
    }
    stderr.write(`cartera: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
