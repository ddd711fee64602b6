import type { Command } from './command.ts';

/** A command's one-line summary, and its module, loaded only when that command runs. */
export interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

/**
 * Every command, in the order `cartera --help` lists them. Modules load only when their command
 * runs: importing every command (DuckDB, the API server, the dashboards, the model trainer, the
 * XLSX reader) cost seconds of start-up on every call, and the command list needs only these lines.
 */
export const COMMANDS: Record<string, CommandEntry> = {
  generate: {
    summary: 'Write deterministic synthetic ERP exports (demo and test data).',
    load: () => import('../commands/generate.ts').then((m) => m.generateCommand),
  },
  ingest: {
    summary: 'Load ERP exports (CSV/TSV/semicolon/pipe, XLSX, JSON, NDJSON, Parquet) into the warehouse.',
    load: () => import('../commands/ingest.ts').then((m) => m.ingestCommand),
  },
  query: {
    summary: "Run any SQL on the warehouse and print the result (the analysts' shell access).",
    load: () => import('../commands/query.ts').then((m) => m.queryCommand),
  },
  demo: {
    summary: 'Run the demo end to end: generate exports if absent, ingest, build, score, then serve the dashboards.',
    load: () => import('../commands/demo.ts').then((m) => m.demoCommand),
  },
  refresh: {
    summary: 'Ingest what is new, build, score, rebuild the call list, and publish all of it at once.',
    load: () => import('../commands/refresh.ts').then((m) => m.refreshCommand),
  },
  vacuum: {
    summary: 'Compact the warehouse file: drop what killed refreshes left, then rewrite it without free space.',
    load: () => import('../commands/vacuum.ts').then((m) => m.vacuumCommand),
  },
  build: {
    summary: 'Build the SQL models (staging, intermediate, marts), re-score with the stored risk model, and publish.',
    load: () => import('../commands/build.ts').then((m) => m.buildCommand),
  },
  notebook: {
    summary: 'Run a SQL notebook (Markdown with sql and vega-lite blocks) and write it as one HTML file.',
    load: () => import('../commands/notebook.ts').then((m) => m.notebookCommand),
  },
  serve: {
    summary: 'Serve the API (and dashboards) over HTTP from the warehouse.',
    load: () => import('../commands/serve.ts').then((m) => m.serveCommand),
  },
  token: {
    summary: 'Create, list and revoke API keys for scripts (roles: cfo, collections, analyst, admin); people sign in: cartera user.',
    load: () => import('../commands/token.ts').then((m) => m.tokenCommand),
  },
  user: {
    summary: 'Add, list and disable the people who sign in, and set their passwords (roles: cfo, collections, analyst, admin).',
    load: () => import('../commands/user.ts').then((m) => m.userCommand),
  },
  score: {
    summary: 'Score open invoices for delinquency risk (training a model when needed), rebuild the call list, and publish them.',
    load: () => import('../commands/score.ts').then((m) => m.scoreCommand),
  },
  backtest: {
    summary: 'Out-of-time test of the risk model: train before a date, predict invoices issued after it, compare with baselines.',
    load: () => import('../commands/backtest.ts').then((m) => m.backtestCommand),
  },
  'call-list': {
    summary: "Print or export the collectors' prioritised call list (built by `cartera score`).",
    load: () => import('../commands/call-list.ts').then((m) => m.callListCommand),
  },
  statement: {
    summary: "Write customers' statements of account (estado de cuenta) as of a date: one PDF each, or one zip.",
    load: () => import('../commands/statement.ts').then((m) => m.statementCommand),
  },
  reminders: {
    summary: "Prepare the day's payment reminders by cadence (file or signed webhook) for an existing email/SMS/WhatsApp tool.",
    load: () => import('../commands/reminders.ts').then((m) => m.remindersCommand),
  },
  export: {
    summary: "Write a dashboard as one HTML file, SVG or PNG (charts drawn on the server), or the CFO's month-end pack as one PDF.",
    load: () => import('../commands/export.ts').then((m) => m.exportCommand),
  },
};

/** The list `cartera --help` prints, from the lines above (no command module is loaded). */
export function usage(): string {
  const list = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)}${c.summary}`).join('\n');
  return `Usage: cartera <command> [options]\n\nCommands:\n${list}\n\nRun 'cartera <command> --help' for a command's options.\n`;
}
