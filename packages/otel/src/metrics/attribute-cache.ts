import type { AgentObservation } from "./metric-sink.js";

/**
 * Interns what is built per distinct key (attribute or label objects), so the hot path
 * records with objects built once instead of allocating them on every event: metric
 * backends hash attributes on every record anyway, and the garbage was a large part of the
 * per-create cost. Keys are bounded by design (kinds, outcomes, error codes, opt-in template
 * ids); past `limit` distinct keys a fresh value is built each time, so a cardinality
 * mistake costs allocations, never unbounded memory.
 * @internal
 */
export function attributeCache<V>(
  build: (observation: AgentObservation) => V,
  includeTemplateId: boolean,
  limit = 1024,
): (observation: AgentObservation) => V {
  const cache = new Map<string, V>();
  return (observation) => {
    const key = agentKey(observation, includeTemplateId);
    let value = cache.get(key);
    if (value === undefined) {
      value = build(observation);
      if (cache.size < limit) cache.set(key, value);
    }
    return value;
  };
}

/** The key of what an agent observation's attributes depend on; no concatenation on the hot path. */
function agentKey(observation: AgentObservation, includeTemplateId: boolean): string {
  // "\u0000" cannot occur in kind names, error codes or template ids.
  let key =
    observation.errorType === undefined ? observation.kind : `${observation.kind}\u0000${observation.errorType}`;
  if (includeTemplateId) key = `${key}\u0000${observation.templateId}`;
  return key;
}
