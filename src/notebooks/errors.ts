/**
 * Something wrong with a notebook, said so the author can fix it: which notebook, which block
 * (name and line), and what went wrong (often DuckDB's own message).
 */
export class NotebookError extends Error {
  constructor(
    readonly notebook: string,
    readonly detail: string,
    readonly block?: { name?: string; line: number },
  ) {
    super(`notebook ${notebook}${block ? `, block ${block.name ? `'${block.name}' ` : ''}(line ${block.line})` : ''}: ${detail}`);
  }
}

/**
 * A block reads a table that a command makes (not the build), and that command has not run yet:
 * the notebook is fine, the warehouse is not ready for it (HTTP 503 with Retry-After, not 500).
 */
export class NotReadyError extends NotebookError {
  constructor(
    notebook: string,
    detail: string,
    block: { name?: string; line: number },
    readonly table: string,
    readonly command: string,
  ) {
    super(notebook, detail, block);
  }
}

/** A parameter value the caller gave is missing, unknown or malformed (HTTP 400, CLI exit 2). */
export class ParamError extends Error {}
