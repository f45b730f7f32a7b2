import type { Span } from "@opentelemetry/api";

// Which tier served each template id inside a `template.resolve` span, keyed by the span
// object itself (weakly: a finished span's entry goes with it).
const served = new WeakMap<Span, Map<string, string>>();

/**
 * Records that `tier` served `templateId` while `span` (normally `template.resolve`) was
 * active. The first tier to serve an id wins: that is where the template came from.
 * @internal
 */
export function recordTierServed(span: Span, templateId: string, tier: string): void {
  let tiers = served.get(span);
  if (tiers === undefined) {
    tiers = new Map();
    served.set(span, tiers);
  }
  if (!tiers.has(templateId)) tiers.set(templateId, tier);
}

/**
 * Where `templateId` came from in `span`: the tier that served it, else `reported` (core
 * reports `source` for every resolve, including one a cache tier answered).
 * @internal
 */
export function resolvedOrigin(span: Span, templateId: string, reported: string | undefined): string | undefined {
  return served.get(span)?.get(templateId) ?? reported;
}

/**
 * The template id of a cache key (`id` or `id@version`, the factory's key format), for a
 * lookup message that does not carry `templateId` itself.
 * @internal
 */
export function templateIdOfKey(key: string): string {
  const at = key.indexOf("@");
  return at === -1 ? key : key.slice(0, at);
}
