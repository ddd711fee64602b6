import { parseArgs, type ParseArgsConfig } from 'node:util';
import { stderr, stdout } from './output.ts';
import { COMMANDS } from './registry.ts';
import type { SecretSpec } from './secret.ts';

type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { description: string; placeholder?: string };
type Values = Record<string, string | boolean | string[] | undefined>;

/** One CLI command: its flags, its help text and what it does (its one-line summary is in `registry.ts`). */
export interface Command {
  name: string;
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

/** The usage line: `cartera query "SQL" [options]`. */
const usageLine = (cmd: Command) => `cartera ${cmd.name}${cmd.args ? ' ' + cmd.args : ''} [options]`;

export function helpText(cmd: Command): string {
  const lines = [usageLine(cmd), '', COMMANDS[cmd.name]?.summary ?? '', '', 'Options:'];
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

/**
 * What was wrong with a command line, in a few words: Node's own text for an unknown option is a
 * paragraph about positional arguments, of no use to someone who mistyped a flag.
 */
function commandLineProblem(cmd: Command, err: Error): string {
  const flags = ['help', ...Object.keys(cmd.options)];
  const unknown = /Unknown option '([^']+)'/.exec(err.message)?.[1];
  if (unknown) {
    const near = closest(unknown.replace(/^-+/, '').split('=')[0], flags);
    return `unknown option ${unknown}${near ? ` (did you mean --${near}?)` : ''}`;
  }
  // 'Option '-h, --help' ...': name the long form.
  const option = (s: string) => s.replace(/ <value>$/, '').split(', ').at(-1);
  const missing = /Option '([^']+)' argument missing/.exec(err.message)?.[1];
  if (missing) return `${option(missing)} needs a value`;
  const noValue = /Option '([^']+)' does not take an argument/.exec(err.message)?.[1];
  if (noValue) return `${option(noValue)} takes no value`;
  return err.message;
}

/** The candidate nearest to `word` by edit distance, if it is near enough to be a typo of it. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (!best || d < best.d) best = { c, d };
  }
  return best && best.d <= Math.max(1, Math.floor(word.length / 3)) ? best.c : undefined;
}

/** Edits (insert, delete, replace, swap two neighbours) from `a` to `b`: `buidl` is one from `build`. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Parses argv for one command and runs it; returns the process exit code. */
export async function runCommand(cmd: Command, argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(cmd, argv);
  } catch (err) {
    stderr.write(`cartera ${cmd.name}: ${commandLineProblem(cmd, err as Error)}\nUsage: ${usageLine(cmd)}\nRun 'cartera ${cmd.name} --help' for its options.\n`);
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
