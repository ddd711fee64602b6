/** The four roles; what each may read is decided per route with `requireRole`. */
export const ROLES = ['cfo', 'collections', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who made a request: a signed-in user, or a script with an API key. */
export interface Principal {
  role: Role;
  /** The user's name, or the name a key was created for. */
  name: string;
  /** Set when the user or key covers one collector's portfolio only. */
  collector: string | null;
  /** 'user:<name>' or 'key:<token id>': one caller, for audit logs and per-caller limits. */
  subject: string;
  /** The key sent, when a script sent one. */
  tokenId: string | null;
  /** The signed-in user, when a person signed in. */
  userId: string | null;
}
