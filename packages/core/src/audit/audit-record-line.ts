import type { AuditRecord } from "./audit-sink.js";

/**
 * The one text a record has in the log: `JSON.stringify` of its fields in the documented
 * order (`seq`, `time`, `actor`, `action`, `resource`, `decision`, `reason`, `digest`,
 * `traceId`, `prev`, `hash`), no whitespace. The writer writes exactly this and the readers
 * (`verifyAuditLog`, the chain head on open) refuse any other text, so an edit that keeps the
 * parsed values — a repeated key (`JSON.parse` keeps the last, other parsers the first),
 * whitespace, a different escape — is detected like any other edit.
 * @internal
 *
 * @example
 * ```ts
 * if (line !== auditRecordLine(JSON.parse(line))) throw new Error("edited");
 * ```
 */
export function auditRecordLine(record: AuditRecord): string {
  const { seq, time, actor, action, resource, decision, reason, digest, traceId, prev, hash } = record;
  return JSON.stringify({ seq, time, actor, action, resource, decision, reason, digest, traceId, prev, hash });
}
