import type { CachedTemplate } from "../cache/cached-template.js";
import type { TemplateCache } from "../cache/template-cache.js";
import type { LoadedTemplate } from "./template-loader.js";

/**
 * The resolution of a cached template (`extends` chain merged, tools bound), run once
 * for all concurrent creates and kept on the cache entry. A resolution during which the
 * cache was invalidated (a parent changed, say) is handed to its callers but not kept,
 * and neither is a failed one.
 * @internal
 */
export function resolveCached<B>(
  cache: TemplateCache<B>,
  entry: CachedTemplate<B>,
  resolve: () => Promise<LoadedTemplate>,
): Promise<LoadedTemplate> {
  if (entry.resolved !== undefined) return entry.resolved;
  const since = cache.generation();
  const promise: Promise<LoadedTemplate> = resolve().then(
    (loaded) => {
      if (cache.generation() === since) entry.chainIds = loaded.chain.map((template) => template.id);
      else forgetResolution(entry, promise);
      return loaded;
    },
    (error: unknown) => {
      forgetResolution(entry, promise);
      throw error;
    },
  );
  entry.resolved = promise;
  return promise;
}

/** Drops `entry`'s resolution (when it is `promise`, or any) and the bindings made from it. @internal */
export function forgetResolution<B>(entry: CachedTemplate<B>, promise?: Promise<LoadedTemplate>): void {
  if (promise !== undefined && entry.resolved !== promise) return;
  entry.resolved = undefined;
  entry.chainIds = undefined;
  entry.bindings.clear();
  entry.warm = undefined;
}
