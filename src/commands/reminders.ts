import { writeFileSync } from 'node:fs';
import { Hono } from 'hono';
import { dbOption, UserError, type Command } from '../cli/command.ts';
import { stderr, stdout } from '../cli/output.ts';
import { resolveDbPath, withWarehouse } from '../db/warehouse.ts';
import { requirePublication } from '../pipeline/index.ts';
import { dataAsOf } from '../risk/as-of.ts';
import { sendTable, type TableLike } from '../api/tabular.ts';
import {
  daysBetween, dueReminderLines, loadCadences, nestReminders, parseDay, postSigned, recordHandOver, today,
  type Day, type Reminder, type ReminderLine,
} from '../reminders/index.ts';

const FORMATS = ['json', 'csv', 'xlsx'] as const;
type Format = (typeof FORMATS)[number];

export const remindersCommand: Command = {
  name: 'reminders',
  options: {
    ...dbOption,
    date: { type: 'string', description: "the day to prepare (default: today, the machine's local date)", placeholder: 'D' },
    format: { type: 'string', default: 'json', description: `output: ${FORMATS.join('|')} (csv and xlsx: one row per reminder and invoice)`, placeholder: 'F' },
    out: { type: 'string', description: 'write to this file (required for xlsx); the reminders count as handed over', placeholder: 'FILE' },
    webhook: { type: 'string', description: 'POST them as signed JSON to this URL; they count as handed over when it answers 2xx', placeholder: 'URL' },
    'secret-env': { type: 'string', description: "the environment variable holding the webhook's secret (never the secret itself)", placeholder: 'NAME' },
    collector: { type: 'string', description: "only this collector's customers", placeholder: 'C' },
    cadences: { type: 'string', description: 'the cadence folder (default: $CARTERA_CADENCES or data/cadences)', placeholder: 'DIR' },
    record: { type: 'boolean', description: 'printed to stdout, count them as handed over too' },
    'dry-run': { type: 'boolean', description: 'hand them over but record nothing (they come again on the next run)' },
  },
  details: [
    'Cartera prepares the reminders; an existing email, SMS or WhatsApp tool sends them. A reminder counts as',
    'handed over, and is recorded as an activity (channel reminder) so its level never goes out twice for the same',
    'invoices, once the webhook answered 2xx or the file was written (--out); printed to stdout, only with --record.',
    'The webhook request carries X-Cartera-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">.',
  ].join('\n'),
  async run(opts) {
    const format = String(opts.format) as Format;
    if (!FORMATS.includes(format)) throw new UserError(`reminders: --format must be one of ${FORMATS.join(', ')}`, 2);
    if (format === 'xlsx' && !opts.out) throw new UserError('reminders: xlsx is binary; give --out FILE.xlsx', 2);
    const day = opts.date === undefined ? today() : parseDay(String(opts.date));
    if (!day) throw new UserError(`reminders: --date must be a calendar day as YYYY-MM-DD, not '${String(opts.date)}'`, 2);
    const webhook = webhookOf(opts);
    const cadences = loadCadences(opts.cadences === undefined ? undefined : String(opts.cadences));
    await withWarehouse(resolveDbPath(opts.db as string | undefined), async (wh) => {
      await requirePublication(wh);
      const lines = await dueReminderLines((sql, params) => wh.result(sql, params), { day, cadences, collector: opts.collector as string | undefined });
      const reminders = nestReminders(lines.getRowObjectsJson() as ReminderLine[]);
      const asOf = (await dataAsOf(wh)) as Day;
      const count = `${reminders.length} reminder${reminders.length === 1 ? '' : 's'} for ${day}`;
      const to: string[] = [];
      if (opts.out || !webhook) to.push(await writeOut(opts.out as string | undefined, format === 'json' ? payload(day, asOf, reminders) : await tabular(lines, format)));
      if (webhook && reminders.length) to.push(await deliver(webhook, payload(day, asOf, reminders), count));
      // A reminder counts as emitted once it is handed over: a file written or a 2xx answer; stdout only with --record.
      const handedOver = reminders.length > 0 && (opts.out !== undefined || webhook !== undefined || opts.record === true);
      const where = to.filter((t) => t !== 'stdout').map((t) => ` to ${t}`).join(' and');
      if (handedOver && !opts['dry-run']) await recordHandOver(wh, reminders, { to: to.join(', '), by: 'cartera reminders', subject: 'cli:reminders' });
      const recorded = !handedOver ? '' : opts['dry-run'] ? ' (dry run: nothing recorded)' : '; recorded as handed over';
      stderr.write(`reminders: ${count}${where}${webhook && !reminders.length ? ', nothing posted' : ''}${recorded}\n${balances(day, asOf)}`);
    });
  },
};

/** Writes the output to the file, or to stdout; says where it went. */
async function writeOut(out: string | undefined, body: string | Buffer): Promise<string> {
  if (out === undefined) {
    stdout.write(body);
    return 'stdout';
  }
  writeFileSync(out, body);
  return `file ${out}`;
}

/** Posts the reminders to the webhook; anything but a 2xx answer stops the command before it records. */
async function deliver(webhook: Webhook, body: string, count: string): Promise<string> {
  let d;
  try {
    d = await postSigned(webhook.url, body, webhook.secret);
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new UserError(`reminders: the webhook at ${webhook.shown} did not answer (${cause}); nothing recorded: the same ${count} go out on the next run`);
  }
  if (!d.ok) throw new UserError(`reminders: the webhook answered ${d.status}; nothing recorded: the same ${count} go out on the next run`);
  return `webhook ${webhook.shown}`;
}

interface Webhook {
  url: string;
  /** The address without credentials or query, for messages and the activity's note. */
  shown: string;
  secret: string;
}

/** The webhook's address and secret, checked before any work: the secret comes from the environment only. */
function webhookOf(opts: Record<string, unknown>): Webhook | undefined {
  const name = opts['secret-env'] as string | undefined;
  if (opts.webhook === undefined) {
    if (name !== undefined) throw new UserError('reminders: --secret-env goes with --webhook', 2);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(String(opts.webhook));
  } catch {
    throw new UserError(`reminders: --webhook must be an http or https URL, not '${String(opts.webhook)}'`, 2);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UserError(`reminders: --webhook must be an http or https URL, not '${url.href}'`, 2);
  if (!name) throw new UserError('reminders: --webhook needs --secret-env NAME, the environment variable holding the signing secret', 2);
  const secret = process.env[name];
  if (!secret) throw new UserError(`reminders: the environment variable ${name} is not set or empty; it must hold the webhook's signing secret`);
  return { url: url.href, shown: `${url.origin}${url.pathname}`, secret };
}

/** The JSON a file, stdout and the webhook get: one object per reminder, and the day of the balances they rest on. */
const payload = (day: Day, asOf: Day, reminders: Reminder[]) =>
  JSON.stringify({ type: 'cartera.reminders', date: day, balances_as_of: asOf, generated_at: new Date().toISOString(), count: reminders.length, data: reminders }, null, 2) + '\n';

/** A line naming the balances' day when it is before the reminders' own: a customer who paid since is still reminded. */
function balances(day: Day, asOf: Day): string {
  const behind = daysBetween(asOf, day);
  return behind > 0 ? `reminders: on the balances of ${asOf}, ${behind} day${behind === 1 ? '' : 's'} before ${day}: a payment since then is not in them (cartera refresh first)\n` : '';
}

/** CSV or XLSX bytes written by the API's own tabular writer, so a file from the CLI and from GET /api/reminders are alike. */
async function tabular(t: TableLike, format: 'csv' | 'xlsx'): Promise<Buffer> {
  const res = await new Hono().get('/', (c) => sendTable(c, t, format, 'reminders')).request('/');
  return Buffer.from(await res.arrayBuffer());
}
