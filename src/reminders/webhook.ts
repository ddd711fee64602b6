import { SIGNATURE_HEADER, signBody } from './signature.ts';

/** What the receiver answered. */
export interface Delivery {
  status: number;
  ok: boolean;
}

/**
 * Posts a JSON body to the webhook, signed (see signBody), with a time limit. A network failure
 * or a timeout throws; any answer, 2xx or not, comes back for the caller to judge.
 */
export async function postSigned(url: string, body: string, secret: string, timeoutMs = 30_000): Promise<Delivery> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [SIGNATURE_HEADER]: signBody(body, secret), 'User-Agent': 'cartera-reminders' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  await r.arrayBuffer().catch(() => undefined);
  return { status: r.status, ok: r.status >= 200 && r.status < 300 };
}
