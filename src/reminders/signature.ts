import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header the webhook's signature travels in. */
export const SIGNATURE_HEADER = 'X-Cartera-Signature';

/**
 * The signature of a webhook body, as Stripe signs its events: `t=<unix seconds>,v1=<hex>`, where
 * the hex is HMAC-SHA256 with the shared secret over `<t>.<body>`. The time stops a captured
 * request from being replayed later; the receiver checks both.
 *
 * @example
 *   signBody('{"reminders":[]}', process.env.CARTERA_WEBHOOK_SECRET!, 1772600000)
 *   // 't=1772600000,v1=5f0c...'
 */
export function signBody(body: string, secret: string, unixSeconds = Math.floor(Date.now() / 1000)): string {
  return `t=${unixSeconds},v1=${hmac(secret, unixSeconds, body)}`;
}

/**
 * Whether a signature header fits the body and the secret, and is at most `toleranceSeconds`
 * old (or ahead): what a receiver runs before trusting a delivery.
 */
export function verifySignature(header: string, body: string, secret: string, toleranceSeconds = 300, now = Date.now() / 1000): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '') || Math.abs(now - t) > toleranceSeconds) return false;
  return timingSafeEqual(Buffer.from(parts.v1, 'hex'), Buffer.from(hmac(secret, t, body), 'hex'));
}

const hmac = (secret: string, t: number, body: string) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
