/**
 * The one CLI: `npm run -s cartera -- <command>` or the package bin `cartera`.
 * Each command lives in src/commands/<name>.ts; this file only lists them.
 */
import { runCommand, helpText, UserError, type Command } from './cli/command.ts';

/**
 * Each command's module, loaded only when that command runs: importing every command (the API
 * server, the dashboards, the model trainer, the XLSX reader) cost a second of start-up on every call.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  generate: () => import('./commands/generate.ts').then((m) => m.generateCommand),
  ingest: () => import('./commands/ingest.ts').then((m) => m.ingestCommand),
  query: () => import('./commands/query.ts').then((m) => m.queryCommand),
  demo: () => import('./commands/demo.ts').then((m) => m.demoCommand),
  refresh: () => import('./commands/refresh.ts').then((m) => m.refreshCommand),
  vacuum: () => import('./commands/vacuum.ts').then((m) => m.vacuumCommand),
  build: () => import('./commands/build.ts').then((m) => m.buildCommand),
  notebook: () => import('./commands/notebook.ts').then((m) => m.notebookCommand),
  serve: () => import('./commands/serve.ts').then((m) => m.serveCommand),
  token: () => import('./commands/token.ts').then((m) => m.tokenCommand),
  score: () => import('./commands/score.ts').then((m) => m.scoreCommand),
  backtest: () => import('./commands/backtest.ts').then((m) => m.backtestCommand),
  'call-list': () => import('./commands/call-list.ts').then((m) => m.callListCommand),
  export: () => import('./commands/export.ts').then((m) => m.exportCommand),
};

/** Every command, loaded (for the command list and for tests). */
export const loadCommands = (): Promise<Command[]> => Promise.all(Object.values(COMMANDS).map((load) => load()));

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = Object.hasOwn(COMMANDS, name ?? '') ? COMMANDS[name] : undefined;
  if (!load) {
    const commands = await loadCommands();
    const list = commands.map((c) => `  ${c.name.padEnd(12)}${c.summary}`).join('\n');
    const out = `Usage: cartera <command> [options]\n\nCommands:\n${list}\n\nRun 'cartera <command> --help' for a command's options.\n`;
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(out);
      return 0;
    }
    process.stderr.write(`cartera: unknown command '${name}'\n\n${out}`);
    return 2;
  }
  const cmd = await load();
  if (cmd.name !== name) throw new Error(`command module for '${name}' exports '${cmd.name}'`);
  return runCommand(cmd, rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UserError) {
      process.stderr.write(`cartera: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`cartera: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);

export { helpText };
