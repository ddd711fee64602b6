import { dbOption, UserError, type Command } from '../cli/command.ts';
import { stdout } from '../cli/output.ts';
import { resolveDbPath, withWarehouse } from '../db/warehouse.ts';
import { RefreshError, runRefresh, type RefreshResult } from '../pipeline/index.ts';
import { DEFAULT_CAPACITY } from '../risk/call-list.ts';
import type { ScoreSummary } from '../risk/score.ts';
import { changesFromFlags, intFlag, lateDaysFlag, printStep, publicationFlags } from './publication-flags.ts';

/** What scoring did, in one line. */
export function scoreLine(s: ScoreSummary): string {
  const how = s.trained ? `trained now in ${s.seconds.train.toFixed(1)} s` : 'stored model';
  return `score: ${s.scored.toLocaleString('en-US')} open invoices with ${s.modelVersion} (${how}); call list of ${s.callListRows.toLocaleString('en-US')} customers`;
}

/** One line per part of what a refresh did. */
export function refreshSummary(r: RefreshResult): string {
  const lines: string[] = [];
  if (r.ingest) {
    const rows = r.ingest.loaded.reduce((s, l) => s + l.rows, 0);
    const rejected = r.ingest.loaded.reduce((s, l) => s + l.rejected, 0);
    lines.push(`ingest: ${r.ingest.loaded.length} files loaded (${rows.toLocaleString('en-US')} rows, ${rejected.toLocaleString('en-US')} rejected), ${r.ingest.skipped.length} skipped`);
  }
  if (!r.published) {
    lines.push(`nothing new: publication ${r.buildId} still served`);
    return lines.join('\n') + '\n';
  }
  if (r.build) {
    const o = r.build.options;
    lines.push(`build: ${r.build.models.length} models as of ${o.asOf}, ${o.reportingCurrency}, basis ${o.basis}, buckets ${o.buckets.join(',')}`);
  }
  if (r.score) lines.push(scoreLine(r.score));
  else lines.push('score: no stored risk model, so no scores or call list in this publication (run cartera score)');
  lines.push(`published ${r.buildId} in ${r.seconds.toFixed(1)} s`);
  return lines.join('\n') + '\n';
}

export const refreshCommand: Command = {
  name: 'refresh',
  options: {
    ...dbOption,
    inbox: { type: 'string', multiple: true, description: 'folder (or file) of exports to ingest first; only new or changed files are loaded', placeholder: 'DIR' },
    ...publicationFlags,
    ...lateDaysFlag,
    retrain: { type: 'boolean', description: 'train a new risk model even if a compatible one is stored' },
    capacity: { type: 'string', description: `calls per collector per day for the call list (default ${DEFAULT_CAPACITY})`, placeholder: 'N' },
  },
  details: `Readers (the server, cartera query, notebooks) see the previous publication until this one
is published, then all of it together: marts, scores, call list and as-of. A failed or killed refresh
leaves the previous publication served. Options given once (as-of, currency, buckets, basis,
late days) are kept by later refreshes until changed.`,
  async run(opts) {
    const changes = changesFromFlags('refresh', opts);
    const capacity = opts.capacity === undefined ? undefined : intFlag(opts.capacity, 'capacity', DEFAULT_CAPACITY, 1);
    const dbPath = resolveDbPath(opts.db as string | undefined);
    await withWarehouse(dbPath, async (wh) => {
      const r = await runRefresh(wh, {
        inbox: opts.inbox as string[] | undefined,
        changes,
        retrain: Boolean(opts.retrain),
        capacity,
        trigger: 'cli',
        dbPath,
        onStep: printStep,
      }).catch((err: Error) => {
        if (err instanceof RefreshError) throw err;
        throw new UserError(`refresh failed, previous publication kept: ${err.message}`);
      });
      stdout.write(refreshSummary(r));
    }, { create: true });
  },
};
