import { createReadStream } from "node:fs";
import { AUDIT_GENESIS_HASH, auditRecordHash } from "./audit-hash.js";
import { auditRecordLine } from "./audit-record-line.js";
import type { AuditRecord } from "./audit-sink.js";

/**
 * Where a chain breaks: the file, its 1-based line, the record's `seq` when it could be read.
 *
 * @example
 * ```ts
 * if (!result.ok) console.error(`${result.broken.file}:${result.broken.line}: ${result.broken.reason}`);
 * ```
 */
export interface AuditLogBreak {
  file: string;
  line: number;
  seq: number | null;
  reason: string;
}

/**
 * What {@link verifyAuditLog} found.
 *
 * @example
 * ```ts
 * const result: AuditVerifyResult = await verifyAuditLog(["audit.log.1", "audit.log"]);
 * ```
 */
export type AuditVerifyResult =
  | { ok: true; records: number; firstSeq: number | null; lastSeq: number | null; head: string | null }
  | { ok: false; records: number; broken: AuditLogBreak };

/** Longest line accepted, in bytes: a record is about 500 bytes with every field at its cap. */
const MAX_LINE_BYTES = 64 * 1024;
const FIELDS = [
  "seq",
  "time",
  "actor",
  "action",
  "resource",
  "decision",
  "reason",
  "digest",
  "traceId",
  "prev",
  "hash",
];
const NULLABLE = new Set(["actor", "resource", "reason", "digest", "traceId"]);

function shapeError(record: unknown): string | undefined {
  if (typeof record !== "object" || record === null || Array.isArray(record)) return "not a JSON object";
  const keys = Object.keys(record);
  if (keys.join() !== FIELDS.join()) return `fields are not exactly ${FIELDS.join(", ")}`;
  const fields = record as Record<string, unknown>;
  if (!Number.isSafeInteger(fields.seq) || (fields.seq as number) < 1) return "seq is not a positive integer";
  for (const key of FIELDS.slice(1)) {
    const value = fields[key];
    if (typeof value !== "string" && !(value === null && NULLABLE.has(key))) return `${key} is not a string`;
  }
  return undefined;
}

async function* lines(file: string): AsyncGenerator<string> {
  let carry = "";
  for await (const chunk of createReadStream(file, { encoding: "utf8", highWaterMark: 64 * 1024 })) {
    carry += chunk as string;
    let newline = carry.indexOf("\n");
    while (newline !== -1) {
      yield carry.slice(0, newline);
      carry = carry.slice(newline + 1);
      newline = carry.indexOf("\n");
    }
    if (carry.length > MAX_LINE_BYTES) throw new RangeError("a line is longer than 64 KiB");
  }
  if (carry.length > 0) throw new RangeError("the last line has no newline (torn write)");
}

/**
 * Checks hash-chained audit logs written by `fileAuditLog`: `files` in order (rotated files
 * oldest first, the live file last) form one chain. Every record must be well-formed, match
 * its own `hash`, follow the previous record's `seq` by one and name its `hash` as `prev`;
 * a log whose first record has `seq` 1 must start from `AUDIT_GENESIS_HASH`. Reports the
 * first broken record. (Cutting records off the end is invisible to any chain: keep the
 * last `hash` elsewhere to detect it.)
 *
 * @example
 * ```ts
 * const result = await verifyAuditLog(["./audit.log"]);
 * if (!result.ok) throw new Error(`record ${result.broken.seq}: ${result.broken.reason}`);
 * ```
 */
export async function verifyAuditLog(files: readonly string[]): Promise<AuditVerifyResult> {
  let records = 0;
  let previous: { seq: number; hash: string } | undefined;
  let firstSeq: number | null = null;
  for (const file of files) {
    let line = 0;
    const broken = (seq: number | null, reason: string): AuditVerifyResult => ({
      ok: false,
      records,
      broken: { file, line, seq, reason },
    });
    try {
      for await (const text of lines(file)) {
        line++;
        let record: AuditRecord;
        try {
          record = JSON.parse(text) as AuditRecord;
        } catch {
          return broken(null, "not JSON");
        }
        const shape = shapeError(record);
        const seq = Number.isSafeInteger(record?.seq) ? record.seq : null;
        if (shape) return broken(seq, shape);
        if (auditRecordHash(record) !== record.hash) return broken(seq, "hash does not match the record (edited)");
        if (text !== auditRecordLine(record)) {
          return broken(
            seq,
            "the line is not in the log's exact form (edited: a repeated key, whitespace or an escape)",
          );
        }
        if (previous === undefined) {
          if (record.seq === 1 && record.prev !== AUDIT_GENESIS_HASH)
            return broken(seq, "first record does not start from the genesis hash");
        } else {
          if (record.seq !== previous.seq + 1) {
            return broken(seq, `seq ${record.seq} follows ${previous.seq} (records deleted or reordered)`);
          }
          if (record.prev !== previous.hash)
            return broken(seq, "prev is not the previous record's hash (chain broken)");
        }
        firstSeq ??= record.seq;
        previous = { seq: record.seq, hash: record.hash };
        records++;
      }
    } catch (error) {
      line++;
      return broken(null, error instanceof Error ? error.message : String(error));
    }
  }
  return { ok: true, records, firstSeq, lastSeq: previous?.seq ?? null, head: previous?.hash ?? null };
}
