import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { clientAddress } from '../../src/api/client-address.ts';

/** An app answering with the address it would limit, trusting a proxy or not. */
const app = (trustProxy: boolean) => new Hono().get('/', (c) => c.text(clientAddress(c, trustProxy)));
const ask = async (trustProxy: boolean, headers: Record<string, string> = {}) => (await app(trustProxy).request('/', { headers })).text();

describe('the client address rate limits count by', () => {
  test("without a socket (app.request) it is 'local'; X-Forwarded-For is ignored unless a proxy is trusted", async () => {
    expect(await ask(false)).toBe('local');
    expect(await ask(false, { 'X-Forwarded-For': '198.51.100.7' })).toBe('local');
  });

  test('behind a trusted proxy, the address that proxy saw: the last of X-Forwarded-For', async () => {
    expect(await ask(true, { 'X-Forwarded-For': '198.51.100.7' })).toBe('198.51.100.7');
    // What the client wrote itself comes first; the proxy appends what it saw.
    expect(await ask(true, { 'X-Forwarded-For': '10.0.0.1, 198.51.100.7' })).toBe('198.51.100.7');
    expect(await ask(true)).toBe('local');
  });
});
