import { stdout } from '../cli/output.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Prints a long command's steps as it goes, the same on a terminal and in a pipe or a log: a line
 * when a step starts, one when it ends with how long it took, and while it runs, a line of progress
 * every few seconds. Plain lines only (no carriage returns, no cursor moves), so a log reads as
 * the terminal did.
 *
 * @example
 *   const log = new StepLog();
 *   log.start('ingest', 'loading data/demo');
 *   log.progress('3 files loaded');
 *   log.done('ingest');
 */
export class StepLog {
  private running?: { step: string; t0: number; timer: NodeJS.Timeout };
  private detail = '';

  constructor(private readonly everyMs = 5000) {}

  /** A step begins: `step: what...`; ends the step before, if one runs. */
  start(step: string, what?: string): void {
    if (this.running) this.done(this.running.step);
    this.detail = '';
    const t0 = performance.now();
    const timer = setInterval(() => this.line(`  ${step}: ${this.detail || 'running'}, ${seconds(performance.now() - t0)} so far`), this.everyMs);
    // A step in progress never keeps the process alive on its own.
    timer.unref();
    this.running = { step, t0, timer };
    this.line(`${step}: ${what ? `${what}...` : 'starting...'}`);
  }

  /** What the running step is at, printed with the next progress line. */
  progress(detail: string): void {
    this.detail = detail;
  }

  /** The running step ends: `step: done in 1.2 s` (and what it did, if given). */
  done(step: string, what?: string): void {
    const r = this.running;
    if (!r || r.step !== step) return;
    clearInterval(r.timer);
    this.running = undefined;
    this.line(`${step}: done in ${seconds(performance.now() - r.t0)}${what ? `: ${what}` : ''}`);
  }

  /** Runs `fn` as one step. */
  async time<T>(step: string, what: string, fn: () => Promise<T>, summary?: (out: T) => string): Promise<T> {
    this.start(step, what);
    try {
      const out = await fn();
      this.done(step, summary?.(out));
      return out;
    } finally {
      if (this.running?.step === step) {
        clearInterval(this.running.timer);
        this.running = undefined;
      }
    }
  }

  line(text: string): void {
    stdout.write(`${text}\n`);
  }
}
