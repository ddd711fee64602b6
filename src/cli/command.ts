import { parseArgs, type ParseArgsConfig } from 'node:util';
import { stderr, stdout } from './output.ts';
import type { SecretSpec } from './secret.ts';

type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { description: string; placeholder?: string };
type Values = Record<string, string | boolean | string[] | undefined>;

/** One CLI command: its flags, its help text and what it does. */
export interface Command {
  name: string;
  summary: string;
  /** Positional arguments as shown in the usage line, e.g. "PATH...". */
  args?: string;
  options: Record<string, OptionSpec>;
  /** Extra help paragraphs printed after the options. */
  details?: string;
  /**
   * The secret (a password) this command line needs, if any: the CLI reads it from the terminal
   * or stdin before a running server executes the command for it (`readSecret` in the command).
   */
  secret?(opts: Values, positionals: string[]): SecretSpec | undefined;
  run(opts: Values, positionals: string[]): Promise<number | void>;
}

/** Flags most commands share. */
export const dbOption: Record<string, OptionSpec> = {
  db: { type: 'string', description: 'warehouse file (default: $CARTERA_DB or data/warehouse.duckdb)', placeholder: 'PATH' },
};

export function helpText(cmd: Command): string {
  const lines = [`cartera ${cmd.name}${cmd.args ? ' ' + cmd.args : ''} [options]`, '', cmd.summary, '', 'Options:'];
  const all = { ...cmd.options, help: { type: 'boolean', description: 'show this help' } as OptionSpec };
  for (const [flag, spec] of Object.entries(all)) {
    const arg = spec.type === 'string' ? ` ${spec.placeholder ?? 'VALUE'}` : '';
    const def = spec.default !== undefined && spec.type === 'string' ? ` (default: ${spec.default})` : '';
    lines.push(`  --${flag}${arg}`.padEnd(30) + spec.description + def);
  }
  if (cmd.details) lines.push('', cmd.details.trim());
  return lines.join('\n') + '\n';
}

/** A command's flags and positionals in `argv` (without the command name); throws on an unknown flag. */
export function parseCommandLine(cmd: Command, argv: string[]): { values: Values; positionals: string[] } {
  const options = { ...cmd.options, help: { type: 'boolean' as const, short: 'h' } };
  const parsed = parseArgs({ args: argv, options: options as ParseArgsConfig['options'], allowPositionals: true, strict: true });
  return { values: parsed.values as Values, positionals: parsed.positionals };
}

/** Parses argv for one command and runs it; returns the process exit code. */
export async function runCommand(cmd: Command, argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(cmd, argv);
  } catch (err) {
    stderr.write(`cartera ${cmd.name}: ${(err as Error).message}\n\n${helpText(cmd)}`);
    return 2;
  }
  if (parsed.values.help) {
    stdout.write(helpText(cmd));
    return 0;
  }
  const code = await cmd.run(parsed.values, parsed.positionals);
  return typeof code === 'number' ? code : 0;
}

/** An error the user caused: printed as one clear line, no stack trace. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}
