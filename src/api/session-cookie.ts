import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { overHttps } from './client-address.ts';
import type { ApiEnv } from './env.ts';

/** The sign-in cookie: a random session id, never a key or a password. */
export const SESSION_COOKIE = 'cartera_session';

/** The session id a browser sent, if any. */
export const sessionIdOf = (c: Context<ApiEnv>): string | undefined => getCookie(c, SESSION_COOKIE) || undefined;

/**
 * Sets the session cookie: out of scripts' reach (HttpOnly), never sent by another site's page
 * (SameSite=Strict), and Secure under HTTPS or when the server was told it sits behind HTTPS.
 */
export function setSessionCookie(c: Context<ApiEnv>, id: string, maxAgeS: number): void {
  const api = c.var.api;
  setCookie(c, SESSION_COOKIE, id, {
    maxAge: maxAgeS,
    path: '/',
    httpOnly: true,
    secure: api.secureCookies || overHttps(c, api.trustProxy),
    sameSite: 'Strict',
  });
}

/** Tells the browser to forget the session cookie. */
export function clearSessionCookie(c: Context<ApiEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}
