/**
 * The one CLI: `npm run -s cartera -- <command>` or the package bin `cartera`.
 * Each command lives in src/commands/<name>.ts (listed in src/cli/dispatch.ts). While
 * `cartera serve` holds the warehouse, the command runs inside that server instead (src/cli/local-server.ts).
 */
import { dispatch } from './cli/dispatch.ts';
import { forwardToServer } from './cli/local-server.ts';

async function main(argv: string[]): Promise<number> {
  return (await forwardToServer(argv)) ?? dispatch(argv);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`cartera: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
