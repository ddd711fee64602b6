/**
 * The one CLI: `npm run -s cartera -- <command>` or the package bin `cartera`.
 * Each command lives in src/commands/<name>.ts; this file only lists them.
 */
import { runCommand, helpText, UserError, type Command } from './cli/command.ts';
import { generateCommand } from './commands/generate.ts';
import { ingestCommand } from './commands/ingest.ts';
import { queryCommand } from './commands/query.ts';
import { demoCommand } from './commands/demo.ts';
import { buildCommand } from './commands/build.ts';
import { notebookCommand } from './commands/notebook.ts';
import { serveCommand } from './commands/serve.ts';
import { tokenCommand } from './commands/token.ts';
import { scoreCommand } from './commands/score.ts';
import { backtestCommand } from './commands/backtest.ts';
import { callListCommand } from './commands/call-list.ts';
import { exportCommand } from './commands/export.ts';

const commands: Command[] = [generateCommand, ingestCommand, queryCommand, demoCommand, buildCommand, notebookCommand, serveCommand, tokenCommand, scoreCommand, backtestCommand, callListCommand, exportCommand];

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    const list = commands.map((c) => `  ${c.name.padEnd(12)}${c.summary}`).join('\n');
    const out = `Usage: cartera <command> [options]\n\nCommands:\n${list}\n\nRun 'cartera <command> --help' for a command's options.\n`;
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(out);
      return 0;
    }
    process.stderr.write(`cartera: unknown command '${name}'\n\n${out}`);
    return 2;
  }
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

export { commands, helpText };
