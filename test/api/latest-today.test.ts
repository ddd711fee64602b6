/**
 * A record's date is refused as future only when it is after today everywhere on Earth: the server
 * does not know the collector's time zone, and its own UTC date is still yesterday for a collector in
 * Madrid just after midnight (or in Auckland all morning).
 */
import { describe, expect, it } from 'vitest';
import { latestToday } from '../../src/api/record-writes.ts';

describe('the latest today', () => {
  it('is the calendar day at UTC+14 (Kiritimati), the first zone each day reaches', () => {
    // 23:30 UTC on the 7th is 00:30 on the 8th in Madrid: a contact dated the 8th is not in the future.
    expect(latestToday(new Date('2026-12-07T23:30:00Z'))).toBe('2026-12-08');
    expect(latestToday(new Date('2026-12-07T09:59:00Z'))).toBe('2026-12-07');
    expect(latestToday(new Date('2026-12-07T10:00:00Z'))).toBe('2026-12-08');
  });
});
