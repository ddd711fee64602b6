import { statSync } from 'node:fs';
import { Cron } from 'croner';
import { expandPaths } from '../ingest/files.ts';

export interface SchedulerOptions {
  /** Cron expression (five fields, e.g. "0 6 * * *"): refresh at those times. */
  cron?: string;
  /** Folder watched for new or changed exports: a refresh runs once they stop changing. */
  inbox?: string;
  /** How often the inbox is looked at (default 5 s; `CARTERA_INBOX_POLL_MS`). */
  pollMs?: number;
  /** Runs one refresh; `inbox` says whether the inbox triggered it. Rejects when another write runs. */
  refresh: (trigger: 'schedule' | 'inbox') => Promise<void>;
  /** Told about each refresh that failed (the run itself is recorded in `refresh_runs`). */
  onError?: (err: Error, trigger: 'schedule' | 'inbox') => void;
}

export interface Scheduler {
  /** When the cron next fires, if there is one. */
  next(): Date | null;
  stop(): void;
}

/**
 * Unattended daily operation: a refresh at the cron's times, and one whenever exports dropped
 * into the inbox have stopped changing (the same size and modification time at two looks in a
 * row). Refreshes never overlap; ingest skips files it has loaded before, by content.
 *
 * @example
 *   const s = startScheduler({ cron: '0 6 * * *', inbox: 'data/inbox', refresh: (t) => run(t) });
 */
export function startScheduler(o: SchedulerOptions): Scheduler {
  let busy = false;
  const run = async (trigger: 'schedule' | 'inbox'): Promise<boolean> => {
    if (busy) return false;
    busy = true;
    try {
      await o.refresh(trigger);
      return true;
    } catch (err) {
      o.onError?.(err as Error, trigger);
      return false;
    } finally {
      busy = false;
    }
  };
  const cron = o.cron ? new Cron(o.cron, { protect: true }, async () => void (await run('schedule'))) : undefined;
  let timer: NodeJS.Timeout | undefined;
  if (o.inbox) {
    const inbox = o.inbox;
    let seen = signature(inbox);
    // Files present at start are loaded once by the first look (already-loaded ones are skipped by content).
    let done = '';
    const look = async () => {
      const now = signature(inbox);
      if (now === seen && now !== done && now !== '') {
        if (await run('inbox')) done = now;
      }
      seen = now;
      timer = setTimeout(look, o.pollMs ?? Number(process.env.CARTERA_INBOX_POLL_MS ?? 5000));
    };
    timer = setTimeout(look, o.pollMs ?? Number(process.env.CARTERA_INBOX_POLL_MS ?? 5000));
  }
  return {
    next: () => cron?.nextRun() ?? null,
    stop: () => {
      cron?.stop();
      if (timer) clearTimeout(timer);
    },
  };
}

/** Every export under `dir` (the files ingest would load) with its size and modification time: equal strings mean nothing changed. */
function signature(dir: string): string {
  let files: string[];
  try {
    files = expandPaths([dir]);
  } catch {
    return '';
  }
  return files
    .map((p) => {
      const s = statSync(p, { throwIfNoEntry: false });
      return s ? `${p}\t${s.size}\t${s.mtimeMs}` : '';
    })
    .sort()
    .join('\n');
}

/** Checks a cron expression; throws with croner's message when it is not one. */
export function checkCron(expr: string): void {
  new Cron(expr, { paused: true }).stop();
}
