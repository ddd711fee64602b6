import { closest, runCommand, type Command } from './command.ts';
import { stderr, stdout } from './output.ts';
import { COMMANDS, usage } from './registry.ts';
import { reportError } from './report-error.ts';

/** The command `argv` names, or undefined when it names none. */
export async function findCommand(argv: string[]): Promise<Command | undefined> {
  const name = argv[0] ?? '';
  if (!Object.hasOwn(COMMANDS, name)) return undefined;
  const cmd = await COMMANDS[name].load();
  if (cmd.name !== name) throw new Error(`command module for '${name}' exports '${cmd.name}'`);
  return cmd;
}

/**
 * Runs one CLI invocation (`argv` without node and the script) and returns its exit code. Every
 * error ends here as one message on stderr, never a stack trace (`CARTERA_DEBUG=1` shows them).
 */
export async function dispatch(argv: string[]): Promise<number> {
  try {
    const cmd = await findCommand(argv);
    if (cmd) return await runCommand(cmd, argv.slice(1));
    const name = argv[0];
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      stdout.write(usage());
      return 0;
    }
    const near = closest(name, Object.keys(COMMANDS));
    stderr.write(`cartera: unknown command '${name}'${near ? ` (did you mean '${near}'?)` : ''}\n\n${usage()}`);
    return 2;
  } catch (err) {
    const { text, code } = reportError(err);
    stderr.write(`cartera: ${text}\n`);
    return code;
  }
}
