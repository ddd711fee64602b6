/** The four kinds of key; what each may read is decided per route with `requireRole`. */
export const ROLES = ['cfo', 'collections', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who made a request, from the key they sent. */
export interface Principal {
  role: Role;
  name: string;
  /** Set when the key covers one collector's portfolio only. */
  collector: string | null;
  tokenId: string;
}
