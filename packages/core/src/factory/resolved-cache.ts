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
  #generation = 0;

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
    const generation = this.#generation;
    const promise = load().then(
      (loaded) => {
        if (this.#inflight.get(key) === promise) this.#inflight.delete(key);
        // An invalidation arrived during the load: hand the result to its callers, keep nothing.
        if (generation !== this.#generation) return loaded;
        const { template } = loaded;
        this.#entries.set(`${template.id}@${template.version}`, loaded);
        this.#entries.set(template.digest, loaded);
        if (version === undefined) this.#latest.set(id, template.version);
        return loaded;
      },
      (error: unknown) => {
        if (this.#inflight.get(key) === promise) this.#inflight.delete(key);
        throw error;
      },
    );
    this.#inflight.set(key, promise);
    return promise;
  }

  /** Drops `loaded` (its `id@version` and digest keys) once its verdict expired, so the next create loads it again. */
  expire(loaded: LoadedTemplate): void {
    const { id, version, digest } = loaded.template;
    if (this.#entries.peek(`${id}@${version}`) === loaded) this.#entries.delete(`${id}@${version}`);
    if (this.#entries.peek(digest) === loaded) this.#entries.delete(digest);
  }

  /** Number of keys held. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Drops every template whose `extends` chain contains one of `ids` (a parent's change
   * changes its children), and any load in flight (cache engineer: hot reload, bus).
   */
  invalidate(ids: readonly string[]): void {
    this.#generation += 1;
    this.#inflight.clear();
    const stale = [...this.#entries.entries()].filter(([, loaded]) =>
      loaded.template.chain.some((link) => ids.includes(link.id)),
    );
    for (const [key] of stale) this.#entries.delete(key);
    for (const id of ids) this.#latest.delete(id);
  }

  /** Drops everything. */
  clear(): void {
    this.#entries.clear();
    this.#latest.clear();
  }
}
