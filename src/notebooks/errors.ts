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

/** A parameter value the caller gave is missing, unknown or malformed (HTTP 400, CLI exit 2). */
export class ParamError extends Error {}
