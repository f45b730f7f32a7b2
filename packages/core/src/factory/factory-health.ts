import type { TemplateSource } from "../source/template-source.js";
import type { TemplateVerifier } from "../trust/template-verifier.js";
import type { ComponentHealth, HealthProbe, HealthReport } from "./factory-types.js";

const RANK = { healthy: 0, degraded: 1, unhealthy: 2 } as const;

/** Probes the source: `check()` when it has one, `list()` otherwise. @internal */
export function sourceProbe(source: TemplateSource): HealthProbe {
  return async (signal) => {
    try {
      await (source.check ? source.check({ signal }) : source.list({ signal }));
      return { name: "source", status: "healthy", detail: { source: source.name } };
    } catch (error) {
      return {
        name: "source",
        status: "unhealthy",
        reason: (error as Error)?.message ?? String(error),
        detail: { source: source.name },
      };
    }
  };
}

/**
 * Probes the verifier's own health when it has one (a trust policy: state store writable,
 * root keys' expiry); a verifier without `health` reports healthy with no detail. @internal
 */
export function trustProbe(trust: TemplateVerifier): HealthProbe {
  return async (signal) => {
    if (typeof trust.health !== "function") return { name: "trust", status: "healthy" };
    try {
      return await trust.health(signal === undefined ? {} : { signal });
    } catch (error) {
      return { name: "trust", status: "unhealthy", reason: (error as Error)?.message ?? String(error) };
    }
  };
}

/** Runs every probe (a throwing probe counts as unhealthy); the report's status is the worst. @internal */
export async function runHealthProbes(
  probes: readonly HealthProbe[],
  signal: AbortSignal | undefined,
): Promise<HealthReport> {
  const components = await Promise.all(
    probes.map(async (probe, index): Promise<ComponentHealth> => {
      try {
        return await probe(signal);
      } catch (error) {
        return { name: `probe-${index}`, status: "unhealthy", reason: (error as Error)?.message ?? String(error) };
      }
    }),
  );
  let status: HealthReport["status"] = "healthy";
  for (const component of components) if (RANK[component.status] > RANK[status]) status = component.status;
  return { status, components };
}
