/** Reminder cadences: Cartera prepares each day's reminders; existing email, SMS or WhatsApp tools send them. */
export { DEFAULT_CADENCES, loadCadences, type Cadences } from './cadence.ts';
export { daysBetween, parseDay, today, type Day } from './day.ts';
export { CadenceError } from './errors.ts';
export { nestReminders, type Reminder, type ReminderLine } from './nest.ts';
export { recordHandOver, type HandOver } from './record.ts';
export { dueReminderLines, type ReadResult } from './select.ts';
export { SIGNATURE_HEADER, signBody, verifySignature } from './signature.ts';
export { postSigned, type Delivery } from './webhook.ts';
