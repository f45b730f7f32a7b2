import { describe, expect, it } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { defineTool, type StandardSchemaV1, type ToolCallContext } from "./tool-definition.js";
import { bindTemplateTools, type ToolRegistry, toolRegistry } from "./tool-registry.js";

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (NextGenError.is(error) ? error.code : `uncoded: ${String(error)}`),
  );

const pathSchema = { type: "object", properties: { path: { type: "string" } }, required: ["path"] } as const;

/** A hand-written Standard Schema (what zod and valibot implement) that trims and checks a string. */
const trimmed: StandardSchemaV1<string, string> = {
  "~standard": {
    version: 1,
    vendor: "test",
    validate: async (value) =>
      typeof value === "string" && value.trim().length > 0
        ? { value: value.trim() }
        : { issues: [{ message: "must be a non-empty string", path: [{ key: "text" }] }] },
  },
};

describe("defineTool", () => {
  it("checks the definition and refuses bad fields by name", () => {
    const execute = () => 1;
    expect(defineTool({ description: "d", inputSchema: true, execute }).description).toBe("d");
    expect(() => defineTool({ description: "", inputSchema: {}, execute })).toThrow(/definition.description/);
    expect(() => defineTool({ description: "d", inputSchema: 3 as never, execute })).toThrow(/definition.inputSchema/);
    expect(() => defineTool({ description: "d", inputSchema: {}, execute: "x" as never })).toThrow(
      /definition.execute/,
    );
    expect(() => defineTool({ description: "d", inputSchema: {}, execute, digest: "md5:1" })).toThrow(
      /definition.digest/,
    );
  });
});

describe("toolRegistry with definitions", () => {
  const seen: { input: unknown; context: ToolCallContext }[] = [];
  const readFile = defineTool({
    description: "Reads a file.",
    inputSchema: pathSchema,
    execute: (input: { path: string }, context) => {
      seen.push({ input, context });
      return `contents of ${input.path}`;
    },
  });

  it("validates JSON Schema input before execute: invalid input never runs the tool", async () => {
    const registry = toolRegistry({ "read-file": readFile });
    const call = registry.get("read-file") as (input: unknown, context: ToolCallContext) => Promise<unknown>;
    const context = { signal: undefined, toolName: "read-file", agent: undefined };
    expect(await call({ path: "a.txt" }, context)).toBe("contents of a.txt");
    seen.length = 0;
    const error = await call({ path: 7 }, context).catch((caught: unknown) => caught);
    expect(NextGenError.is(error, "NG_ERR_TOOL_INPUT_INVALID")).toBe(true);
    expect((error as Error).message).toContain('Invalid input for tool "read-file": /path must be string');
    expect(seen).toEqual([]);
    expect(registry.definition("read-file")).toBe(readFile);
  });

  it("validates with a Standard Schema and hands execute the parsed value", async () => {
    const echo = defineTool({ description: "Echoes.", inputSchema: trimmed, execute: (text: string) => `<${text}>` });
    const call = toolRegistry({ echo }).get("echo") as (input: unknown, context: ToolCallContext) => Promise<unknown>;
    const context = { signal: undefined, toolName: "echo", agent: undefined };
    expect(await call("  hi ", context)).toBe("<hi>");
    await expect(call("   ", context)).rejects.toThrow(
      'Invalid input for tool "echo": /text must be a non-empty string',
    );
  });

  it("merges records and registries, refuses duplicates, and closes every member once", async () => {
    let closes = 0;
    const remote: ToolRegistry = {
      ...toolRegistry({
        "github/search": defineTool({ description: "Searches.", inputSchema: true, execute: () => [] }),
      }),
      close: async () => {
        closes++;
      },
    };
    const merged = toolRegistry({ "read-file": readFile, grep: () => true }, remote);
    expect(merged.names).toEqual(["github/search", "grep", "read-file"]);
    expect(merged.definition("github/search")?.description).toBe("Searches.");
    expect(merged.definition("grep")).toBeUndefined();
    expect(merged.get("nope")).toBeUndefined();
    await Promise.all([merged.close?.(), merged.close?.()]);
    expect(closes).toBe(1);
    expect(() => toolRegistry({ grep: () => 1 }, { grep: () => 2 })).toThrow(
      /tools\[1\]\["grep"\] is registered twice/,
    );
  });

  it("accepts <server>/<tool> names with one slash only, and refuses unusable schemas", () => {
    expect(toolRegistry({ "mcp/read.file_v2": () => 1 }).has("mcp/read.file_v2")).toBe(true);
    expect(() => toolRegistry({ "a/b/c": () => 1 })).toThrow(/not a valid tool name/);
    expect(() => toolRegistry({ "/a": () => 1 })).toThrow(/not a valid tool name/);
    const bad = defineTool({ description: "d", inputSchema: { type: "text" }, execute: () => 1 });
    expect(() => toolRegistry({ bad })).toThrow(/tools\["bad"\].inputSchema is not a usable JSON Schema: \/type/);
  });
});

describe("bindTemplateTools: refusals, pins, audit", () => {
  const digestA = `sha256:${"a".repeat(64)}`;
  const digestB = `sha256:${"b".repeat(64)}`;
  let currentDigest = digestA;
  let runs = 0;
  const pinned = defineTool({
    description: "Pinned.",
    inputSchema: { type: "object", additionalProperties: false },
    execute: () => ++runs,
    get digest() {
      return currentDigest;
    },
  });
  const registry = toolRegistry({ pinned, shell: () => "should never run" });
  const refusedBy = (onRefused: unknown[]) => ({
    pins: { pinned: digestA },
    subject: "a/b@1.0.0",
    onRefused: (...args: unknown[]) => onRefused.push(args),
  });

  it("refuses a pin mismatch at load, and at a later call when the digest changed", async () => {
    const refusals: unknown[] = [];
    const tools = bindTemplateTools(registry, ["pinned"], String, refusedBy(refusals));
    expect(await tools.call("pinned", {})).toBe(1);
    currentDigest = digestB;
    const error = await tools.call("pinned", {}).catch((caught: unknown) => caught);
    expect(NextGenError.is(error, "NG_ERR_TOOL_PIN_MISMATCH")).toBe(true);
    expect((error as Error).message).toContain(
      `pinned by a/b@1.0.0 to ${digestA}, but the registry's tool has ${digestB}`,
    );
    expect(runs).toBe(1);
    expect(refusals).toHaveLength(1);
    expect(() => bindTemplateTools(registry, ["pinned"], String, refusedBy([]))).toThrow(
      expect.objectContaining({ code: "NG_ERR_TOOL_PIN_MISMATCH" }),
    );
    expect(() => bindTemplateTools(registry, ["shell"], String, { pins: { shell: digestA } })).toThrow(/has no digest/);
    currentDigest = digestA;
  });

  it("never runs an ungranted or invalidly called tool, reports each refusal, and passes the agent on", async () => {
    const refusals: unknown[][] = [];
    const tools = bindTemplateTools(registry, ["pinned"], String, refusedBy(refusals));
    const agent = { id: "i-1", templateId: "a/b", version: "1.0.0", digest: digestA };
    expect(await code(tools.call("shell", {}, { agent }))).toBe("NG_ERR_TOOL_UNKNOWN");
    expect(await code(tools.call("pinned", { extra: true }, { agent }))).toBe("NG_ERR_TOOL_INPUT_INVALID");
    expect(refusals.map((refusal) => [refusal[0], refusal[1], refusal[3]])).toEqual([
      ["shell", "NG_ERR_TOOL_UNKNOWN", agent],
      ["pinned", "NG_ERR_TOOL_INPUT_INVALID", agent],
    ]);
    expect(tools.definition("pinned")).toBe(pinned);
    expect(tools.definition("shell")).toBeUndefined();
  });

  it("gives tools the calling agent in their context", async () => {
    let context: ToolCallContext | undefined;
    const tools = bindTemplateTools(
      toolRegistry({ spy: (_: unknown, given: ToolCallContext) => (context = given) }),
      ["spy"],
      String,
    );
    const agent = { id: "i-2", templateId: "a/b", version: "1.0.0", digest: digestA };
    await tools.call("spy", 1, { agent });
    expect(context).toEqual({ signal: undefined, toolName: "spy", agent });
  });
});
