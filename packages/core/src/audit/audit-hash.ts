import { createHash } from "node:crypto";
import { canonicalize } from "../canonical/canonicalize.js";
import type { AuditRecord } from "./audit-sink.js";

/**
 * The `prev` of the first record of a log: `sha256:` and 64 zeros.
 *
 * @example
 * ```ts
 * if (first.seq === 1 && first.prev !== AUDIT_GENESIS_HASH) console.error("log does not start at its beginning");
 * ```
 */
export const AUDIT_GENESIS_HASH: string = `sha256:${"0".repeat(64)}`;

/** The hash of a record: SHA-256 of the RFC 8785 form of every field but `hash`. @internal */
export function auditRecordHash(record: Omit<AuditRecord, "hash">): string {
  const { seq, time, actor, action, resource, decision, reason, digest, traceId, prev } = record;
  const bytes = canonicalize({ seq, time, actor, action, resource, decision, reason, digest, traceId, prev });
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
