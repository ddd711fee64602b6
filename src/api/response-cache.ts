/**
 * A response kept for replay. Bytes as Uint8Array and headers as a plain record are what
 * @hono/node-server writes straight to the socket, without building a web Response.
 */
export interface CachedResponse {
  body: Uint8Array<ArrayBuffer>;
  headers: Record<string, string>;
}

/**
 * Responses of GET endpoints, valid until the next build or ingest commits (keys carry the data
 * tag, and the whole map is dropped when it changes). Bounded so odd query strings cannot grow it.
 */
export class ResponseCache {
  private readonly map = new Map<string, CachedResponse>();
  private readonly inFlight = new Map<string, Promise<CachedResponse | undefined>>();

  constructor(private readonly maxEntries = 2000) {}

  get(key: string): CachedResponse | undefined {
    return this.map.get(key);
  }

  set(key: string, value: CachedResponse): void {
    if (this.map.size >= this.maxEntries) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    this.map.set(key, value);
  }

  /** The response being made for `key` by another request, if one is. */
  pending(key: string): Promise<CachedResponse | undefined> | undefined {
    return this.inFlight.get(key);
  }

  /** Marks `key` as being made; call the returned function with the result (or undefined on failure). */
  begin(key: string): (made: CachedResponse | undefined) => void {
    let settle!: (made: CachedResponse | undefined) => void;
    this.inFlight.set(key, new Promise((resolve) => (settle = resolve)));
    return (made) => {
      this.inFlight.delete(key);
      settle(made);
    };
  }

  clear(): void {
    this.map.clear();
  }
}
