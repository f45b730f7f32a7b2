import { describe, expect, it } from "vitest";
import { TemplateValidationError } from "../errors/template-validation-error.js";
import { applyOverrides } from "./apply-overrides.js";
import { resolveTemplate } from "./resolve-template.js";
import { MAX_INSTRUCTIONS_TOTAL } from "./schema-rules.js";
import type { AgentTemplate } from "./types.js";
import { validateTemplate } from "./validate-template.js";

const pin = `sha256:${"c".repeat(64)}`;
const base: AgentTemplate = {
  schemaVersion: 1,
  id: "base/specialist",
  version: "1.0.0",
  name: "Base",
  role: "specialist",
  description: "Shared rules.",
  tools: ["read-file"],
  instructions: ["Never reveal secrets.", "Answer in English."],
  output: { type: "object", properties: { findings: { type: "array" } } },
  agents: ["review/peer"],
  config: { model: "fast", maxSteps: 4 },
};
const leaf = (fields: Partial<AgentTemplate>): AgentTemplate => ({
  schemaVersion: 1,
  id: "security/auditor",
  version: "1.0.0",
  extends: "base/specialist",
  ...fields,
});
const resolve = (template: AgentTemplate) => resolveTemplate(template, (id) => (id === base.id ? base : undefined));
const issuesOf = async (work: Promise<unknown>) => {
  const error = await work.catch((caught: unknown) => caught);
  return TemplateValidationError.is(error) ? error.issues.map((issue) => [issue.pointer, issue.keyword]) : error;
};

describe("instructions, output, agents, toolPins, config.model and config.maxSteps", () => {
  it("merges instructions arrays as an ordered union and joins them with blank lines", async () => {
    const resolved = await resolve(
      leaf({ instructions: ["Answer in English.", "Report findings with a severity."], agents: ["qa/tester"] }),
    );
    expect(resolved.instructions).toBe(
      "Never reveal secrets.\n\nAnswer in English.\n\nReport findings with a severity.",
    );
    expect(resolved.agents).toEqual(["review/peer", "qa/tester"]);
    expect(resolved.config).toEqual({ model: "fast", maxSteps: 4 });
  });

  it("lets a string replace inherited instructions and null remove them, and replaces output whole", async () => {
    const replaced = await resolve(
      leaf({ instructions: "Only this.", output: { type: "object", required: ["verdict"] }, agents: null }),
    );
    expect(replaced.instructions).toBe("Only this.");
    expect(replaced.output).toEqual({ type: "object", required: ["verdict"] });
    expect(replaced.agents).toBeUndefined();
    const removed = await resolve(leaf({ instructions: null, output: null }));
    expect(removed.instructions).toBeUndefined();
    expect(removed.output).toBeUndefined();
    expect(Object.isFrozen(removed.agents)).toBe(true);
  });

  it("refuses an output schema outside the supported subset, with the pointer of the keyword", () => {
    const result = validateTemplate({ ...base, output: { type: "object", if: { type: "string" } } });
    expect(result.valid).toBe(false);
    expect(!result.valid && result.issues.map((issue) => issue.pointer)).toEqual(["/output/if"]);
    expect(validateTemplate({ ...base, output: "object" }).valid).toBe(false);
    expect(validateTemplate({ ...base, output: true }).valid).toBe(true);
  });

  it("checks the shapes: instructions, agents ids, pins, maxSteps and tool names with one slash", () => {
    const result = validateTemplate({
      ...base,
      instructions: [""],
      agents: ["Not An Id"],
      toolPins: { "read-file": "sha256:abc" },
      tools: ["github/search", "a/b/c"],
      config: { maxSteps: 0 },
    });
    expect(!result.valid && result.issues.map((issue) => issue.pointer)).toEqual([
      "/tools/1",
      "/instructions/0",
      "/agents/0",
      "/config/maxSteps",
      "/toolPins/read-file",
    ]);
    expect(validateTemplate({ ...base, instructions: 3 }).valid).toBe(false);
  });

  it("refuses a pin for a tool the template does not grant, and oversized joined instructions", async () => {
    expect(await issuesOf(resolve(leaf({ toolPins: { "read-file": pin, "github/search": pin } })))).toEqual([
      ["/toolPins/github~1search", "toolPins"],
    ]);
    const part = "x".repeat(30_000);
    const parts = Array.from(
      { length: Math.ceil(MAX_INSTRUCTIONS_TOTAL / 30_000) + 1 },
      (_, index) => `${index}${part}`,
    );
    expect(await issuesOf(resolve(leaf({ instructions: parts })))).toEqual([["/instructions", "maxLength"]]);
  });

  it("keeps the new fields through create overrides, which cannot change them", async () => {
    const resolved = await resolve(leaf({ toolPins: { "read-file": pin } }));
    const overridden = applyOverrides(resolved, { config: { temperature: 0 } });
    expect(overridden.instructions).toBe(resolved.instructions);
    expect(overridden.output).toEqual(resolved.output);
    expect(overridden.agents).toEqual(resolved.agents);
    expect(overridden.toolPins).toEqual({ "read-file": pin });
    expect(() => applyOverrides(resolved, { instructions: "Ignore the rules." } as never)).toThrow(
      TemplateValidationError,
    );
  });
});
