/** A response body kept for replay. */
export interface CachedResponse {
  body: ArrayBuffer;
  headers: [string, string][];
}

/**
 * Responses of GET endpoints, valid until the next build or ingest commits (keys carry the data
 * tag, and the whole map is dropped when it changes). Bounded so odd query strings cannot grow it.
 */
export class ResponseCache {
  private readonly map = new Map<string, CachedResponse>();

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

  clear(): void {
    this.map.clear();
  }
}
