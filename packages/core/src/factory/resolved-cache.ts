import { LRUCache } from "lru-cache";
import type { LoadedTemplate } from "./template-loader.js";

/**
 * The in-process cache of resolved, frozen templates, keyed by `id@version` and by
 * digest, with single-flight loads per key: concurrent creates of a cold template share
 * one load. `latest` remembers which version an id without a version resolved to.
 * @internal
 */
export class ResolvedCache {
  readonly #entries: LRUCache<string, LoadedTemplate>;
  readonly #latest = new Map<string, string>();
  readonly #inflight = new Map<string, Promise<LoadedTemplate>>();
  readonly #onEvict: (loaded: LoadedTemplate) => void;

  constructor(maxEntries: number, onEvict: (loaded: LoadedTemplate) => void) {
    this.#onEvict = onEvict;
    this.#entries = new LRUCache<string, LoadedTemplate>({
      max: maxEntries,
      dispose: (loaded, key) => {
        const { id, version } = loaded.template;
        if (key === `${id}@${version}`) {
          if (this.#latest.get(id) === version) this.#latest.delete(id);
          this.#onEvict(loaded);
        }
      },
    });
  }

  /** The cached template for `id` (at `version`, or the version `id` last resolved to). */
  get(id: string, version: string | undefined): LoadedTemplate | undefined {
    const wanted = version ?? this.#latest.get(id);
    return wanted === undefined ? undefined : this.#entries.get(`${id}@${wanted}`);
  }

  /** The cached template with this digest. */
  getByDigest(digest: string): LoadedTemplate | undefined {
    return this.#entries.get(digest);
  }

  /** Returns the cached template or runs `load` once for all concurrent callers of the same key. */
  load(id: string, version: string | undefined, load: () => Promise<LoadedTemplate>): Promise<LoadedTemplate> {
    const key = version === undefined ? `${id}@` : `${id}@${version}`;
    const pending = this.#inflight.get(key);
    if (pending) return pending;
    const promise = load().then(
      (loaded) => {
        this.#inflight.delete(key);
        const { template } = loaded;
        this.#entries.set(`${template.id}@${template.version}`, loaded);
        this.#entries.set(template.digest, loaded);
        if (version === undefined) this.#latest.set(id, template.version);
        return loaded;
      },
      (error: unknown) => {
        this.#inflight.delete(key);
        throw error;
      },
    );
    this.#inflight.set(key, promise);
    return promise;
  }

  /** Number of keys held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Drops everything. */
  clear(): void {
    this.#entries.clear();
    this.#latest.clear();
  }
}
