import { describe, expect, it } from "vitest";
import { templateDigest } from "../canonical/template-digest.js";
import { NextGenError } from "../errors/next-gen-error.js";
import type { TemplateResolveError } from "../errors/template-resolve-error.js";
import { TemplateValidationError } from "../errors/template-validation-error.js";
import { applyOverrides } from "./apply-overrides.js";
import { resolveTemplate } from "./resolve-template.js";
import type { AgentTemplate } from "./types.js";

const base: AgentTemplate = {
  schemaVersion: 1,
  id: "base/specialist",
  version: "1.0.0",
  name: "Specialist",
  role: "specialist",
  description: "A focused expert.",
  domain: "general",
  capabilities: ["analysis", "reporting"],
  tools: ["read-file"],
  config: { model: "gpt-4o", temperature: 0.7, maxTokens: 4096, timeoutMs: 60_000, maxRetries: 2 },
  metadata: { tier: "production", owner: "platform", tags: ["base"] },
  signatures: [{ protected: "eyJhbGciOiJFZERTQSJ9", signature: "c2ln" }],
};

const security: AgentTemplate = {
  schemaVersion: 1,
  id: "security/base",
  version: "2.1.0",
  extends: "base/specialist",
  domain: "security",
  capabilities: ["threat-modeling", "analysis"],
  config: { temperature: 0.2, maxTokens: null },
  metadata: { tags: ["security"] },
};

const auditor: AgentTemplate = {
  schemaVersion: 1,
  id: "security/auditor",
  version: "1.2.0",
  extends: "security/base",
  name: "Security Auditor",
  description: "Finds vulnerabilities.",
  capabilities: ["vulnerability-scan", "reporting"],
  tools: ["semgrep", "read-file"],
  config: { timeoutMs: 300_000 },
  metadata: { tier: "critical", owner: null },
  domain: null,
};

function store(...templates: AgentTemplate[]): (id: string) => AgentTemplate | undefined {
  const byId = new Map(templates.map((template) => [template.id, template]));
  return (id) => byId.get(id);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("resolveTemplate", () => {
  it("merges three levels: deep objects, ordered union, scalar override, null removal", async () => {
    const resolved = await resolveTemplate(auditor, store(base, security));
    expect(resolved).toEqual({
      id: "security/auditor",
      version: "1.2.0",
      name: "Security Auditor",
      role: "specialist",
      description: "Finds vulnerabilities.",
      capabilities: ["analysis", "reporting", "threat-modeling", "vulnerability-scan"],
      tools: ["read-file", "semgrep"],
      config: { model: "gpt-4o", temperature: 0.2, timeoutMs: 300_000, maxRetries: 2 },
      metadata: { tier: "critical", tags: ["base", "security"] },
      digest: templateDigest(auditor),
      chain: [
        { id: "security/auditor", version: "1.2.0", digest: templateDigest(auditor) },
        { id: "security/base", version: "2.1.0", digest: templateDigest(security) },
        { id: "base/specialist", version: "1.0.0", digest: templateDigest(base) },
      ],
    });
    expect("domain" in resolved).toBe(false);
    expect("signatures" in resolved).toBe(false);
  });

  it("does not change or freeze the input templates", async () => {
    const before = structuredClone(base);
    await resolveTemplate(auditor, store(base, security));
    expect(base).toEqual(before);
    expect(Object.isFrozen(base.capabilities)).toBe(false);
  });

  it("returns a deeply frozen template: mutation throws in strict mode", async () => {
    const resolved = await resolveTemplate(auditor, async (id) => store(base, security)(id));
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(() => {
      (resolved as { name: string }).name = "x";
    }).toThrow(TypeError);
    expect(() => (resolved.capabilities as string[]).push("x")).toThrow(TypeError);
    expect(() => {
      (resolved.config as { temperature: number }).temperature = 1;
    }).toThrow(TypeError);
    expect(() => {
      (resolved.chain[0] as { id: string }).id = "x";
    }).toThrow(TypeError);
  });

  it("a standalone template resolves to itself with defaults for lists and objects", async () => {
    const standalone: AgentTemplate = {
      schemaVersion: 1,
      id: "qa/tester",
      version: "0.1.0",
      name: "Tester",
      role: "validator",
      description: "Tests.",
    };
    const resolved = await resolveTemplate(standalone, () => {
      throw new Error("must not load");
    });
    expect(resolved).toMatchObject({
      capabilities: [],
      tools: [],
      config: {},
      metadata: {},
      chain: [{ id: "qa/tester" }],
    });
  });

  it("reports every missing required field of the merged result at once", async () => {
    const bare: AgentTemplate = { schemaVersion: 1, id: "qa/bare", version: "1.0.0", extends: "qa/parent" };
    const parent: AgentTemplate = { schemaVersion: 1, id: "qa/parent", version: "1.0.0", domain: "qa" };
    const error = await rejection(resolveTemplate(bare, store(parent)));
    expect(error).toBeInstanceOf(TemplateValidationError);
    expect((error as TemplateValidationError).issues.map((issue) => [issue.pointer, issue.keyword])).toEqual([
      ["/name", "required"],
      ["/role", "required"],
      ["/description", "required"],
    ]);
  });

  it("null in a child removes a required field inherited from the parent", async () => {
    const child: AgentTemplate = {
      schemaVersion: 1,
      id: "qa/child",
      version: "1.0.0",
      extends: "base/specialist",
      description: null,
    };
    const error = (await rejection(resolveTemplate(child, store(base)))) as TemplateValidationError;
    expect(error.issues.map((issue) => issue.pointer)).toEqual(["/description"]);
  });

  it("names the whole chain of a cycle", async () => {
    const x: AgentTemplate = { schemaVersion: 1, id: "a/x", version: "1.0.0", extends: "b/y" };
    const y: AgentTemplate = { schemaVersion: 1, id: "b/y", version: "1.0.0", extends: "c/z" };
    const z: AgentTemplate = { schemaVersion: 1, id: "c/z", version: "1.0.0", extends: "a/x" };
    const error = await rejection(resolveTemplate(x, store(x, y, z)));
    expect(NextGenError.is(error, "NG_ERR_TEMPLATE_EXTENDS_CYCLE")).toBe(true);
    expect((error as Error).message).toBe("extends cycle: a/x → b/y → c/z → a/x");
    expect((error as TemplateResolveError).chain).toEqual(["a/x", "b/y", "c/z", "a/x"]);
    const self: AgentTemplate = { schemaVersion: 1, id: "a/self", version: "1.0.0", extends: "a/self" };
    expect(((await rejection(resolveTemplate(self, store(self)))) as Error).message).toBe(
      "extends cycle: a/self → a/self",
    );
  });

  it("refuses a missing parent with NG_ERR_TEMPLATE_NOT_FOUND naming the chain", async () => {
    const error = await rejection(resolveTemplate(auditor, store(security)));
    expect(NextGenError.is(error, "NG_ERR_TEMPLATE_NOT_FOUND")).toBe(true);
    expect((error as Error).message).toContain('"security/base" extends "base/specialist", which was not found');
    expect((error as TemplateResolveError).chain).toEqual(["security/auditor", "security/base", "base/specialist"]);
    const wrong = await rejection(resolveTemplate(auditor, () => base));
    expect(NextGenError.is(wrong, "NG_ERR_TEMPLATE_NOT_FOUND")).toBe(true);
  });

  it("caps the chain at 16 templates", async () => {
    const link = (index: number): AgentTemplate => ({
      schemaVersion: 1,
      id: `deep/t${index}`,
      version: "1.0.0",
      extends: `deep/t${index + 1}`,
      name: "n",
      role: "specialist",
      description: "d",
    });
    const error = await rejection(resolveTemplate(link(0), (id) => link(Number(id.slice("deep/t".length)))));
    expect(NextGenError.is(error, "NG_ERR_TEMPLATE_EXTENDS_TOO_DEEP")).toBe(true);
    expect((error as TemplateResolveError).chain).toHaveLength(16);
  });

  it("validates templates handed in by loadParent", async () => {
    const broken = { ...base, config: { temperature: "hot" } } as unknown as AgentTemplate;
    const error = (await rejection(resolveTemplate(security, store(broken)))) as TemplateValidationError;
    expect(error.code).toBe("NG_ERR_TEMPLATE_INVALID");
    expect(error.issues[0]?.pointer).toBe("/config/temperature");
  });
});

describe("applyOverrides", () => {
  it("merges like extends and marks the result, keeping digest and chain", async () => {
    const resolved = await resolveTemplate(auditor, store(base, security));
    const overridden = applyOverrides(resolved, {
      config: { temperature: 0, maxRetries: null },
      tools: ["dependency-audit", "semgrep"],
      metadata: { tags: ["night"] },
      domain: "appsec",
    });
    expect(overridden.config).toEqual({ model: "gpt-4o", temperature: 0, timeoutMs: 300_000 });
    expect(overridden.tools).toEqual(["read-file", "semgrep", "dependency-audit"]);
    expect(overridden.metadata.tags).toEqual(["base", "security", "night"]);
    expect(overridden.domain).toBe("appsec");
    expect(overridden.overridden).toBe(true);
    expect(overridden.digest).toBe(resolved.digest);
    expect(overridden.chain).toBe(resolved.chain);
    expect(Object.isFrozen(overridden.config)).toBe(true);
    expect(resolved.config.temperature).toBe(0.2);
    expect(resolved.overridden).toBeUndefined();
  });

  it("returns the same object for empty overrides and ignores undefined members", async () => {
    const resolved = await resolveTemplate(auditor, store(base, security));
    expect(applyOverrides(resolved, {})).toBe(resolved);
    expect(applyOverrides(resolved, { config: { temperature: undefined } }).config).toEqual(resolved.config);
  });

  it("reports every invalid override with a pointer under /overrides", async () => {
    const resolved = await resolveTemplate(auditor, store(base, security));
    let caught: unknown;
    try {
      applyOverrides(resolved, {
        config: { temperature: 5, maxRetry: 1 },
        role: "coordinator",
        name: null,
        tools: ["semgrep", "semgrep"],
      } as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TemplateValidationError);
    const issues = (caught as TemplateValidationError).issues;
    expect(issues.map((issue) => [issue.pointer, issue.keyword, issue.suggestion])).toEqual([
      ["/overrides/config/temperature", "maximum", undefined],
      ["/overrides/config/maxRetry", "additionalProperties", "maxRetries"],
      ["/overrides/role", "additionalProperties", undefined],
      ["/overrides/name", "type", undefined],
      ["/overrides/tools/1", "uniqueItems", undefined],
    ]);
    expect(() => applyOverrides(resolved, "fast" as never)).toThrow(/\/overrides: must be an object/);
  });
});
