/**
 * What a caller hands to {@link AuditSink.append}: one decision, before the sink numbers
 * and chains it. Absent fields are recorded as `null`.
 *
 * @example
 * ```ts
 * const event: AuditRecordInput = {
 *   actor: "alice",
 *   action: "http.authorize",
 *   resource: "security/auditor",
 *   decision: "deny",
 *   reason: "NG_ERR_AUTH_FORBIDDEN",
 * };
 * ```
 */
export interface AuditRecordInput {
  /** Who asked (a token subject, `system`); `null` when unknown. */
  actor?: string | null | undefined;
  /** What was decided, noun then verb: `http.authorize`, `trust.verify`, `agent.create`, `agent.run`, `template.reload`. */
  action: string;
  /** What it was about (a template id, `id@version`, a run id, a route). */
  resource?: string | null | undefined;
  /** The outcome: `allow` / `deny`, `accepted` / `refused`, `succeeded` / `failed`, `applied`, … */
  decision: string;
  /** Why, usually an `NG_ERR_*` code for a refusal. */
  reason?: string | null | undefined;
  /** Template digest (`sha256:<hex>`) concerned. */
  digest?: string | null | undefined;
  /** W3C trace id (32 hex) of the request that caused it. */
  traceId?: string | null | undefined;
  /** When it happened, in milliseconds since the epoch. @default the sink's clock */
  time?: number | undefined;
}

/**
 * One line of a hash-chained audit log, in this key order. `hash` is
 * `sha256:<hex>` of the RFC 8785 form of every other field; `prev` is the previous
 * record's `hash` (`AUDIT_GENESIS_HASH` for the first record of a log).
 *
 * @example
 * ```ts
 * const record: AuditRecord = JSON.parse(line);
 * console.log(record.seq, record.action, record.decision);
 * ```
 */
export interface AuditRecord {
  /** 1 for the first record of a log, then +1 per record (across rotated files). */
  seq: number;
  /** ISO 8601 time (UTC, milliseconds). */
  time: string;
  /** Who asked, as given to `append` (`null` when unknown). */
  actor: string | null;
  /** What was decided (`http.authorize`, `trust.verify`, …). */
  action: string;
  /** What it was about. */
  resource: string | null;
  /** The outcome. */
  decision: string;
  /** Why (usually an `NG_ERR_*` code). */
  reason: string | null;
  /** Template digest concerned. */
  digest: string | null;
  /** W3C trace id of the request that caused it. */
  traceId: string | null;
  /** `hash` of the previous record. */
  prev: string;
  /** `sha256:<hex>` over this record without `hash`. */
  hash: string;
}

/**
 * Where every security decision goes (authorization, template verdict, create, run,
 * reload). `append` resolves once the record is written as durably as the sink promises;
 * `close` flushes and releases the sink (idempotent). The factory's `audit` option and
 * the agent service take one.
 *
 * @example
 * ```ts
 * const audit: AuditSink = fileAuditLog({ path: "./audit.log" });
 * await audit.append({ actor: "ci", action: "template.reload", decision: "applied" });
 * await audit.close();
 * ```
 */
export interface AuditSink {
  /** Records one decision. Rejects (`NG_ERR_AUDIT_WRITE`, `NG_ERR_AUDIT_CLOSED`) when it cannot. */
  append(event: AuditRecordInput): Promise<void> | void;
  /** Writes what is pending and releases the sink. Idempotent. */
  close(): Promise<void>;
}
