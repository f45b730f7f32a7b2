import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalize } from "../canonical/canonicalize.js";
import { AUDIT_GENESIS_HASH, auditRecordHash } from "./audit-hash.js";
import type { AuditRecord } from "./audit-sink.js";

type Body = Omit<AuditRecord, "hash">;

const generic = (record: Body): string =>
  `sha256:${createHash("sha256")
    .update(canonicalize({ ...record }))
    .digest("hex")}`;

const base: Body = {
  seq: 42,
  time: "2026-12-05T05:02:11.384Z",
  actor: "alice",
  action: "http.authorize",
  resource: "run security/auditor",
  decision: "allow",
  reason: "roles security-team",
  digest: null,
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  prev: AUDIT_GENESIS_HASH,
};

describe("auditRecordHash", () => {
  it("hashes exactly the RFC 8785 bytes of the record, whatever characters its fields hold", () => {
    const samples = [
      "",
      'quote " backslash \\ slash /',
      "control \u0000 \u0001 \u001f \b \f \n \r \t end",
      "del \u007f, latin é, cjk 監査, line sep \u2028 \u2029",
      "astral 😀 and a pair \uD83D\uDE00",
      "<script>&amp;</script>",
    ];
    const fields = ["actor", "action", "resource", "decision", "reason", "digest", "traceId", "prev", "time"] as const;
    for (const field of fields) {
      for (const sample of samples) {
        const record = { ...base, [field]: sample };
        expect(auditRecordHash(record), `${field}: ${JSON.stringify(sample)}`).toBe(generic(record));
      }
    }
    for (const seq of [0, 1, 2 ** 53 - 1]) expect(auditRecordHash({ ...base, seq })).toBe(generic({ ...base, seq }));
    const nulls = { ...base, actor: null, resource: null, reason: null, digest: null, traceId: null };
    expect(auditRecordHash(nulls)).toBe(generic(nulls));
  });

  it("gives the generic canonicalizer records of another shape, which refuses what JSON cannot hold exactly", () => {
    const floatSeq = { ...base, seq: 1.5 };
    expect(auditRecordHash(floatSeq)).toBe(generic(floatSeq));
    const numberTime = { ...base, time: 5 as unknown as string };
    expect(auditRecordHash(numberTime)).toBe(generic(numberTime));
    expect(() => auditRecordHash({ ...base, reason: "torn \uD83D" })).toThrow(
      expect.objectContaining({ code: "NG_ERR_TEMPLATE_NOT_JSON" }),
    );
  });
});
