/**
 * The one CLI: `npm run -s cartera -- <command>` or the package bin `cartera` (both run the
 * compiled dist/cli.js; `npm run dev -- <command>` runs these sources). Each command lives in
 * src/commands/<name>.ts (listed in src/cli/registry.ts). While `cartera serve` holds the
 * warehouse, the command runs inside that server instead (src/cli/forward.ts, src/cli/local-server.ts).
 */
import { dispatch } from './cli/dispatch.ts';
import { forwardToServer } from './cli/forward.ts';
import { reportError } from './cli/report-error.ts';

/** Whatever escapes a command (a rejection nobody awaited) is still one line, not a stack trace. */
function fail(err: unknown): void {
  const { text, code } = reportError(err);
  process.stderr.write(`cartera: ${text}\n`);
  process.exitCode = code;
}

process.on('uncaughtException', (err) => {
  fail(err);
  process.exit();
});
process.on('unhandledRejection', (err) => {
  fail(err);
  process.exit();
});

async function main(argv: string[]): Promise<number> {
  return (await forwardToServer(argv)) ?? dispatch(argv);
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, fail);
