import type { CompiledTrustPolicy } from "./compile-trust-policy.js";
import type { StateStore } from "./state-store.js";
import type { TrustHealth } from "./template-verifier.js";

const THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000;

/**
 * @internal The trust component of `factory.health()`: unhealthy when the state store
 * cannot be written (every new version would be refused) or no key is valid now;
 * degraded when a root key has expired or expires within `warnWithinMs`.
 */
export async function trustHealth(
  compiled: CompiledTrustPolicy,
  stateStore: StateStore,
  nowMs: number,
  options: { signal?: AbortSignal; warnWithinMs?: number },
): Promise<TrustHealth> {
  const live = [...compiled.keys.values()].filter((key) => !key.revoked);
  const expiries = live.flatMap((key) => (key.notAfterMs === undefined ? [] : [key.notAfterMs]));
  const expiry = expiries.length === 0 ? undefined : new Date(Math.min(...expiries));
  const detail: Record<string, unknown> = {
    requireSignatures: compiled.requireSignatures,
    keys: live.length,
    ...(expiry === undefined ? {} : { earliestKeyExpiry: expiry.toISOString() }),
  };
  try {
    await stateStore.check?.(options.signal === undefined ? {} : { signal: options.signal });
  } catch (error) {
    return { name: "trust", status: "unhealthy", reason: (error as Error)?.message ?? String(error), detail };
  }
  const usable = live.filter((key) => key.notAfterMs === undefined || key.notAfterMs > nowMs);
  if (compiled.requireSignatures && usable.length === 0)
    return { name: "trust", status: "unhealthy", reason: "no trusted key is valid now (expired or revoked)", detail };
  if (expiry !== undefined && expiry.getTime() <= nowMs)
    return { name: "trust", status: "degraded", reason: `a trusted key expired at ${expiry.toISOString()}`, detail };
  if (expiry !== undefined && expiry.getTime() - nowMs <= (options.warnWithinMs ?? THIRTY_DAYS_MS))
    return { name: "trust", status: "degraded", reason: `a trusted key expires at ${expiry.toISOString()}`, detail };
  return { name: "trust", status: "healthy", detail };
}
