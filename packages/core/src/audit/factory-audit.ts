import type { Clock } from "../clock/clock.js";
import type { AuditEvent } from "../diagnostics/payloads.js";
import { errorCode } from "../errors/uncoded-error.js";
import type { AgentTemplate } from "../template/types.js";
import type { TemplateVerifier, VerifiedTemplate, VerifyOptions } from "../trust/template-verifier.js";
import type { AuditRecordInput, AuditSink } from "./audit-sink.js";

/** Who the factory's own decisions are recorded as (they serve every caller, cached). */
const SYSTEM_ACTOR = "system";

/**
 * Hands `event` to `sink` without ever throwing into the caller: a sink that cannot write
 * fails itself (and its host reports that), the create or verdict it records stands.
 * @internal
 */
export function recordAudit(sink: AuditSink, event: AuditRecordInput): void {
  try {
    const appended = sink.append(event);
    if (appended instanceof Promise) appended.catch(() => undefined);
  } catch {
    // See above: never into the caller.
  }
}

const resourceOf = (id: string | undefined, version: string | undefined): string | null =>
  id === undefined ? null : version === undefined ? id : `${id}@${version}`;

/** An audit event of core's `nextgen:audit` channel as an audit record. @internal */
export function auditInputOf(event: AuditEvent): AuditRecordInput {
  return {
    actor: SYSTEM_ACTOR,
    action: event.type,
    resource: resourceOf(event.templateId, event.version),
    decision: event.verdict ?? "unknown",
    reason: event.reason,
    digest: event.digest,
    time: event.time,
  };
}

/**
 * A refused tool call (`tool.call`) or delegation (`agent.delegate`) of core's
 * `nextgen:audit` channel as an audit record: decision `refused`, the reason its error code
 * and the tool or delegate it named (`NG_ERR_TOOL_NOT_GRANTED: tool "shell"`).
 * @internal
 */
export function refusalInputOf(event: AuditEvent): AuditRecordInput {
  const input = auditInputOf(event);
  const detail = event.detail ?? {};
  const named =
    typeof detail.tool === "string"
      ? `tool ${JSON.stringify(detail.tool)}`
      : typeof detail.delegate === "string"
        ? `delegate ${JSON.stringify(detail.delegate)}`
        : undefined;
  return named === undefined ? input : { ...input, reason: `${input.reason ?? "refused"}: ${named}` };
}

/**
 * Wraps a verifier so that each verdict (accepted or refused, with the key ids' reason)
 * goes to `sink` as a `trust.verify` record.
 * @internal
 */
export function auditedVerifier(inner: TemplateVerifier, sink: AuditSink, clock: Clock): TemplateVerifier {
  return {
    async verify(template: AgentTemplate, options?: VerifyOptions): Promise<VerifiedTemplate> {
      const resource = resourceOf(template?.id, template?.version);
      try {
        const verified = await inner.verify(template, options);
        recordAudit(sink, {
          actor: SYSTEM_ACTOR,
          action: "trust.verify",
          resource,
          decision: "accepted",
          reason: verified.keyIds.length === 0 ? "signatures not required" : `keys ${verified.keyIds.join(",")}`,
          digest: verified.digest,
          time: clock.now(),
        });
        return verified;
      } catch (error) {
        recordAudit(sink, {
          actor: SYSTEM_ACTOR,
          action: "trust.verify",
          resource,
          decision: "refused",
          reason: errorCode(error),
          time: clock.now(),
        });
        throw error;
      }
    },
  };
}
