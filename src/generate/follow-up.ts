import { CHANNELS, OUTCOME_NOTES, type Channel } from './catalog.ts';
import type { Horizon } from './customers.ts';
import { seriesId, type ActivityRow, type IdCounters, type IdWidths, type PromiseRow } from './ledger-types.ts';
import type { Prng } from './prng.ts';
import type { Settlement } from './settlement.ts';

/** Collectors start chasing a week or so after the due date, and give up logging after a few attempts. */
const MAX_ACTIVITIES = 5;
const GRACE_DAYS = 7;

const OUTCOMES: Record<Channel, readonly (readonly [string, number])[]> = {
  call: [['no_answer', 0.35], ['left_message', 0.3], ['promise', 0.2], ['refused', 0.15]],
  email: [['no_answer', 0.72], ['promise', 0.13], ['refused', 0.15]],
  letter: [['no_answer', 0.9], ['promise', 0.1]],
  visit: [['promise', 0.4], ['refused', 0.4], ['paid', 0.2]],
};

/**
 * Pass 3 of a customer's ledger: what the collector did about each overdue document (calls,
 * emails, letters, visits) and the promises to pay made along the way. A promise is kept when
 * the customer really paid by the promised date (plus three days' grace), broken when the date
 * passed without payment, open when it lies beyond the end date.
 */
export function followUp(
  rng: Prng,
  settlements: Settlement[],
  horizon: Horizon,
  ids: IdCounters,
  widths: IdWidths,
): { promises: PromiseRow[]; activities: ActivityRow[] } {
  const promises: PromiseRow[] = [];
  const activities: ActivityRow[] = [];
  for (const s of settlements) {
    const { doc } = s;
    if (s.applied.length === 0 && s.settledDay !== null) continue; // credited in full
    const closed = s.settledDay ?? horizon.end + 1;
    if (closed - doc.due <= GRACE_DAYS || doc.due + GRACE_DAYS > horizon.end) continue;
    // A few days late often slips through without anyone calling.
    if (closed - doc.due <= 3 * GRACE_DAYS && rng.chance(0.5)) continue;
    const settledByPayment = s.settledDay !== null && doc.status === 'paid';
    let day = doc.due + rng.int(2, GRACE_DAYS + 3);
    for (let k = 0; k < MAX_ACTIVITIES && day < closed && day <= horizon.end; k++) {
      const channel = rng.weighted(CHANNELS);
      let outcome = rng.weighted(OUTCOMES[channel]);
      // Only a payment that really happened soon after can be reported as paid on a visit.
      if (outcome === 'paid' && !(settledByPayment && closed - day <= 3)) outcome = 'refused';
      const owedNow = doc.owed - s.applied.reduce((sum, a) => (a.date < day ? sum + a.cents : sum), 0);
      if (outcome === 'promise' && owedNow > 0) {
        const keeps = settledByPayment && closed - day <= 20;
        const promised = keeps ? Math.max(day + 1, closed - rng.int(0, 3)) : day + rng.int(3, 14);
        promises.push({
          id: seriesId('PP-', ++ids.promise, widths.other),
          invoiceId: doc.id,
          made: day,
          promised,
          cents: owedNow,
          status: keeps ? 'kept' : promised >= horizon.end ? 'open' : 'broken',
        });
      } else if (outcome === 'promise') {
        outcome = 'no_answer';
      }
      activities.push({
        id: seriesId('GA-', ++ids.activity, widths.other),
        invoiceId: doc.id,
        date: day,
        channel,
        outcome,
        notes: rng.pick(OUTCOME_NOTES[outcome === 'no_answer' && (channel === 'email' || channel === 'letter') ? 'sent' : outcome]),
      });
      day += rng.int(6, 21) + k * 4;
    }
    if (settledByPayment && closed <= horizon.end && rng.chance(0.3)) {
      activities.push({
        id: seriesId('GA-', ++ids.activity, widths.other),
        invoiceId: doc.id,
        date: closed,
        channel: rng.chance(0.5) ? 'call' : 'email',
        outcome: 'paid',
        notes: rng.pick(OUTCOME_NOTES.paid),
      });
    }
  }
  return { promises, activities };
}
