import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseTemplate } from "../template/parse-template.js";
import type { AgentTemplate } from "../template/types.js";
import { canonicalTemplateBytes, templateDigest } from "./template-digest.js";

const template: AgentTemplate = {
  schemaVersion: 1,
  id: "security/auditor",
  version: "1.2.0",
  name: "Security Auditor",
  config: { temperature: 0.2, timeoutMs: 300_000 },
  signatures: [{ protected: "eyJhbGciOiJFZERTQSJ9", signature: "c2ln" }],
};

describe("canonicalTemplateBytes and templateDigest", () => {
  it("refuse a value that is not a template object with NG_ERR_TEMPLATE_NOT_JSON, not a TypeError", () => {
    for (const value of [null, undefined, "a/b", 1, ["a"]]) {
      expect(() => templateDigest(value as never)).toThrow(
        expect.objectContaining({ code: "NG_ERR_TEMPLATE_NOT_JSON" }),
      );
      expect(() => canonicalTemplateBytes(value as never)).toThrow(
        expect.objectContaining({ code: "NG_ERR_TEMPLATE_NOT_JSON" }),
      );
    }
  });

  it("are the JCS bytes without signatures, and sha256:<hex> of them", () => {
    const bytes = canonicalTemplateBytes(template);
    expect(new TextDecoder().decode(bytes)).toBe(
      '{"config":{"temperature":0.2,"timeoutMs":300000},"id":"security/auditor","name":"Security Auditor","schemaVersion":1,"version":"1.2.0"}',
    );
    expect(templateDigest(template)).toBe(`sha256:${createHash("sha256").update(bytes).digest("hex")}`);
    expect(templateDigest(template)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("ignore formatting, key order and signatures, but not content", () => {
    const reformatted = parseTemplate(
      `{\n  "version": "1.2.0", "config": {"timeoutMs": 3e5, "temperature": 2e-1},\n  "name": "Security Auditor", "id": "security/auditor", "schemaVersion": 1\n}`,
    );
    expect(templateDigest(reformatted)).toBe(templateDigest(template));
    expect(templateDigest({ ...template, version: "1.2.1" })).not.toBe(templateDigest(template));
    expect(template.signatures).toHaveLength(1);
  });
});
