import { afterEach, describe, expect, it, vi } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import type { AgentConfig, ResolvedTemplate } from "../template/types.js";
import { bindTemplateTools, toolRegistry } from "../tools/tool-registry.js";
import { Agent, markAgentReady } from "./agent.js";
import type { RunContext } from "./agent-types.js";

function resolved(config: AgentConfig = {}): ResolvedTemplate {
  return Object.freeze({
    id: "test/agent",
    version: "1.0.0",
    name: "Test agent",
    role: "specialist",
    description: "Runs scripted attempts.",
    capabilities: [],
    tools: ["upper"],
    config,
    metadata: {},
    digest: "sha256:00",
    chain: [],
  });
}

type Script = (task: string, context: RunContext) => Promise<string> | string;

class ScriptedAgent extends Agent<string, string> {
  script: Script = (task) => task;
  contexts: RunContext[] = [];
  disposed = 0;
  protected execute(task: string, context: RunContext): Promise<string> | string {
    this.contexts.push(context);
    return this.script(task, context);
  }
  protected override onDispose(): void {
    this.disposed++;
  }
}

const tools = bindTemplateTools(toolRegistry({ upper: (input: string) => input.toUpperCase() }), ["upper"], String);
function agent(config?: AgentConfig, script?: Script): ScriptedAgent {
  const instance = new ScriptedAgent({ template: resolved(config), tools, kind: "scripted", instanceId: "a-1" });
  if (script) instance.script = script;
  return instance;
}
const code = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (NextGenError.is(error) ? error.code : `uncoded: ${String(error)}`),
  );
const never = (): Promise<string> => new Promise(() => {});

afterEach(() => {
  vi.useRealTimers();
});

describe("Agent", () => {
  it("goes created → ready → running → idle and shares the template object", async () => {
    const instance = agent();
    expect(instance.state).toBe("created");
    markAgentReady(instance);
    expect(instance.state).toBe("ready");
    const running = instance.run("hi");
    expect(instance.state).toBe("running");
    expect(await running).toBe("hi");
    expect(instance.state).toBe("idle");
    expect(instance.contexts[0]!.template).toBe(instance.template);
    expect(instance.contexts[0]!.attempt).toBe(1);
    expect(instance.health()).toEqual({ status: "healthy", state: "idle", runs: 1, failures: 0 });
  });

  it("gives execute only the template's tools", async () => {
    const instance = agent({}, async (task, context) => String(await context.tools.call("upper", task)));
    expect(await instance.run("shout")).toBe("SHOUT");
    const denied = agent({}, async (task, context) => String(await context.tools.call("rm-rf", task)));
    const error = (await denied.run("x").catch((caught: unknown) => caught)) as NextGenError;
    expect((error.cause as NextGenError).code).toBe("NG_ERR_TOOL_UNKNOWN");
  });

  it("retries failures up to config.maxRetries, then fails with the last cause", async () => {
    let calls = 0;
    const instance = agent({ maxRetries: 2 }, () => {
      calls++;
      throw new Error(`boom ${calls}`);
    });
    const error = (await instance.run("x").catch((caught: unknown) => caught)) as NextGenError;
    expect(error.code).toBe("NG_ERR_AGENT_RUN_FAILED");
    expect((error.cause as Error).message).toBe("boom 3");
    expect(calls).toBe(3);
    expect(instance.state).toBe("error");
    expect(instance.health()).toMatchObject({ status: "degraded", failures: 1, reason: "NG_ERR_AGENT_RUN_FAILED" });
    instance.script = (task) => task;
    expect(await instance.run("again")).toBe("again");
    expect(instance.health().status).toBe("healthy");
  });

  it("succeeds on a retry after a failed attempt", async () => {
    const instance = agent({ maxRetries: 1 }, (task, context) => {
      if (context.attempt === 1) throw new Error("flaky");
      return `${task} on attempt ${context.attempt}`;
    });
    expect(await instance.run("x")).toBe("x on attempt 2");
  });

  it("limits each attempt to config.timeoutMs and aborts the attempt's signal", async () => {
    vi.useFakeTimers();
    const instance = agent({ timeoutMs: 1_000, maxRetries: 1 }, never);
    const outcome = code(instance.run("x"));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(instance.contexts).toHaveLength(2);
    expect(instance.contexts[0]!.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await outcome).toBe("NG_ERR_AGENT_TIMEOUT");
    expect(instance.contexts[1]!.signal.aborted).toBe(true);
  });

  it("honours the caller's AbortSignal without retrying", async () => {
    const controller = new AbortController();
    const instance = agent({ maxRetries: 5 }, never);
    const outcome = code(instance.run("x", { signal: controller.signal }));
    controller.abort(new Error("user left"));
    expect(await outcome).toBe("NG_ERR_AGENT_ABORTED");
    expect(instance.contexts).toHaveLength(1);
    expect(instance.contexts[0]!.signal.aborted).toBe(true);
    expect(await code(instance.run("x", { signal: AbortSignal.abort() }))).toBe("NG_ERR_AGENT_ABORTED");
  });

  it("runs one task at a time", async () => {
    let release!: (value: string) => void;
    const instance = agent({}, () => new Promise<string>((resolve) => (release = resolve)));
    const first = instance.run("a");
    expect(await code(instance.run("b"))).toBe("NG_ERR_AGENT_BUSY");
    release("done");
    expect(await first).toBe("done");
  });

  it("dispose aborts a running task, is idempotent, and refuses later runs", async () => {
    const instance = agent({ maxRetries: 3 }, never);
    const outcome = code(instance.run("x"));
    const disposal = instance.dispose();
    expect(instance.dispose()).toBe(disposal);
    await disposal;
    expect(await outcome).toBe("NG_ERR_AGENT_DISPOSED");
    expect(instance.contexts).toHaveLength(1);
    expect(instance.disposed).toBe(1);
    expect(instance.state).toBe("disposed");
    expect(instance.health().status).toBe("unhealthy");
    expect(await code(instance.run("x"))).toBe("NG_ERR_AGENT_DISPOSED");
  });

  it("ignores results that arrive after the attempt timed out", async () => {
    vi.useFakeTimers();
    let late!: (value: string) => void;
    const instance = agent({ timeoutMs: 10 }, () => new Promise<string>((resolve) => (late = resolve)));
    const outcome = code(instance.run("x"));
    await vi.advanceTimersByTimeAsync(10);
    late("too late");
    expect(await outcome).toBe("NG_ERR_AGENT_TIMEOUT");
  });
});
