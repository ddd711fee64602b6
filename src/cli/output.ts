import { AsyncLocalStorage } from 'node:async_hooks';

/** Where a command writes: the process's own streams, or those of a client the server runs it for. */
export interface OutputSink {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
}

const sinks = new AsyncLocalStorage<{ out: OutputSink; err: OutputSink }>();

/** The command's standard output (the forwarding client's, when the server runs it). */
export const stdout: OutputSink = {
  write: (chunk) => (sinks.getStore()?.out ?? process.stdout).write(chunk),
  get isTTY() {
    return sinks.getStore() ? false : process.stdout.isTTY;
  },
};

/** The command's standard error. */
export const stderr: OutputSink = {
  write: (chunk) => (sinks.getStore()?.err ?? process.stderr).write(chunk),
};

/** Runs `fn` with `stdout` and `stderr` sent to other sinks, for it and everything it awaits. */
export function withOutput<T>(out: OutputSink, err: OutputSink, fn: () => Promise<T>): Promise<T> {
  return sinks.run({ out, err }, fn);
}
