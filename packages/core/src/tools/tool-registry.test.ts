import { describe, expect, it } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { bindTemplateTools, type ToolCallContext, toolRegistry } from "./tool-registry.js";

describe("toolRegistry", () => {
  it("lists names sorted and hands out the registered implementations", () => {
    const scan = (input: string): number => input.length;
    const registry = toolRegistry({ zeta: scan, alpha: scan });
    expect(registry.names).toEqual(["alpha", "zeta"]);
    expect(registry.has("alpha")).toBe(true);
    expect(registry.get("zeta")).toBe(scan);
    expect(registry.has("toString")).toBe(false);
    expect(registry.get("constructor")).toBeUndefined();
  });

  it("refuses bad names and non-functions with OptionsError naming the entry", () => {
    expect(() => toolRegistry({ "bad name": () => 1 })).toThrow(/tools\["bad name"\]/);
    expect(() => toolRegistry({ ok: "rm -rf /" as never })).toThrow(/tools\["ok"\] must be a function/);
    expect(() => toolRegistry(null as never)).toThrow(/^tools must be an object/);
  });
});

describe("bindTemplateTools", () => {
  const seen: ToolCallContext[] = [];
  const registry = toolRegistry({
    echo: (input: string, context: ToolCallContext): string => {
      seen.push(context);
      return input;
    },
    shell: (): string => "should never run",
  });

  it("refuses a name the registry lacks, saying where the template named it", () => {
    const error = (() => {
      try {
        bindTemplateTools(registry, ["echo", "curl"], (name) => `a/b@1.0.0 at /tools/${name === "curl" ? 1 : 0}`);
      } catch (caught) {
        return caught;
      }
    })();
    expect(NextGenError.is(error, "NG_ERR_TOOL_UNKNOWN")).toBe(true);
    expect((error as Error).message).toContain('Tool "curl" (named by a/b@1.0.0 at /tools/1) is not registered');
    expect((error as Error).message).toContain("Registered: echo, shell");
  });

  it("calls granted tools with the signal and refuses registered tools the template does not grant", async () => {
    const tools = bindTemplateTools(registry, ["echo"], String);
    const controller = new AbortController();
    expect(await tools.call("echo", "hi", { signal: controller.signal })).toBe("hi");
    expect(seen.at(-1)).toEqual({ signal: controller.signal, toolName: "echo" });
    expect(tools.has("shell")).toBe(false);
    await expect(tools.call("shell", "")).rejects.toSatisfy((error) => NextGenError.is(error, "NG_ERR_TOOL_UNKNOWN"));
    await expect(tools.call("echo", "x", { signal: AbortSignal.abort() })).rejects.toThrow();
    expect(Object.isFrozen(tools.names)).toBe(true);
  });
});
