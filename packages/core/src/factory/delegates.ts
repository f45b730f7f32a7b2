import type { Agent } from "../agent/agent.js";
import type { AgentDelegates } from "../agent/agent-types.js";
import type { AuditEvent } from "../diagnostics/payloads.js";
import { plain, publish } from "../diagnostics/publish.js";
import { NextGenError } from "../errors/next-gen-error.js";
import type { ResolvedTemplate } from "../template/types.js";

/** Most delegation levels below an agent the host created (a coordinator's auditors are level 1). */
export const MAX_DELEGATION_DEPTH = 4;

/** Creates a sub-agent through the factory, with the delegation chain it belongs to. @internal */
export type CreateDelegate = (
  id: string,
  chain: readonly string[],
  signal: AbortSignal | undefined,
) => Promise<Agent<never, unknown>>;

/**
 * The {@link AgentDelegates} of an agent whose delegation chain (template ids, the host's
 * agent first, this agent last) is `chain`: only ids `template.agents` lists, never one
 * already on the chain, never deeper than {@link MAX_DELEGATION_DEPTH}. Refusals are
 * audited on `nextgen:audit` (`type: "agent.delegate"`) and handed to `audit` (the factory's
 * `audit` sink, when it has one).
 * @internal
 */
export function agentDelegates(
  template: ResolvedTemplate,
  chain: readonly string[],
  createDelegate: CreateDelegate,
  now: () => number,
  audit?: ((event: AuditEvent) => void) | undefined,
): AgentDelegates {
  const refuse = (
    id: string,
    code: "NG_ERR_AGENT_DELEGATION_DENIED" | "NG_ERR_AGENT_DELEGATION_TOO_DEEP",
    message: string,
  ) => {
    const event = (): AuditEvent => ({
      type: "agent.delegate",
      time: now(),
      templateId: template.id,
      version: template.version,
      digest: template.digest,
      verdict: "refused",
      reason: code,
      detail: { delegate: id, chain: [...chain] },
    });
    publish(plain.audit, event);
    audit?.(event());
    return Promise.reject(new NextGenError(code, message));
  };
  const allowed = template.agents ?? [];
  return Object.freeze({
    ids: allowed,
    depth: chain.length - 1,
    create(id: string, options?: { signal?: AbortSignal | undefined }): Promise<Agent<never, unknown>> {
      if (typeof id !== "string" || !allowed.includes(id)) {
        return refuse(
          String(id),
          "NG_ERR_AGENT_DELEGATION_DENIED",
          `Template ${template.id}@${template.version} does not let its agent delegate to "${String(id)}" (it lists: ${allowed.join(", ") || "none"}).`,
        );
      }
      if (chain.includes(id)) {
        return refuse(id, "NG_ERR_AGENT_DELEGATION_TOO_DEEP", `Delegation cycle: ${[...chain, id].join(" → ")}.`);
      }
      if (chain.length > MAX_DELEGATION_DEPTH) {
        return refuse(
          id,
          "NG_ERR_AGENT_DELEGATION_TOO_DEEP",
          `Delegation deeper than ${MAX_DELEGATION_DEPTH} levels: ${[...chain, id].join(" → ")}.`,
        );
      }
      return createDelegate(id, [...chain, id], options?.signal);
    },
  });
}
