/**
 * Writes lines to a stream in batches: all lines made in one turn of the event loop go out in
 * one write, so a busy server does not pay a system call per request for its access log.
 */
export function batchedLines(out: NodeJS.WritableStream = process.stdout): { write(line: string): void; flush(): void } {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!pending.length) return;
    out.write(pending.join('\n') + '\n');
    pending = [];
  };
  return {
    write(line) {
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
