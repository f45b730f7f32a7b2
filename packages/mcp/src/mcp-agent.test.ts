// MCP tools reached by agents through the factory: grants, pins, list_changed, and a
// model (the AI SDK's mock model) calling a real MCP server's tool.
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import {
  Agent,
  type AgentTemplate,
  AUDIT_CHANNEL,
  type AuditEvent,
  createAgentFactory,
  memorySource,
  NextGenError,
  type RunContext,
  trustPolicy,
} from "@nextgen/core";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { type Connect, transports } from "./test-servers.js";

const audit: AuditEvent[] = [];
const onAudit = (message: unknown): void => void audit.push(message as AuditEvent);
subscribe(AUDIT_CHANNEL, onAudit);
afterAll(() => unsubscribe(AUDIT_CHANNEL, onAudit));

// Each test starts real MCP server processes (node + tsx): allow for a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

// The refresh a notification starts runs over a real transport: give it time on a loaded machine.
const settle = { timeout: 15_000, interval: 20 };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** The code of the refusal: a failed run's cause (the tool call's error) when it has one. */
const code = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => "resolved",
    (error: unknown) => {
      const cause = (error as { cause?: unknown }).cause;
      if (NextGenError.is(error, "NG_ERR_AGENT_RUN_FAILED") && NextGenError.is(cause)) return cause.code;
      return NextGenError.is(error) ? error.code : `uncoded: ${String(error)}`;
    },
  );

/** Runs `<tool> <json>` tasks through the template's tools, as a model's tool loop would. */
class ToolAgent extends Agent<string, unknown> {
  protected execute(task: string, context: RunContext): Promise<unknown> {
    const space = task.indexOf(" ");
    return context.tools.call(task.slice(0, space), JSON.parse(task.slice(space + 1)));
  }
}

const template = (id: string, fields: Partial<AgentTemplate>): AgentTemplate => ({
  schemaVersion: 1,
  id,
  version: "1.0.0",
  name: id,
  description: `Agent ${id}.`,
  role: "tools",
  ...fields,
});
const unsigned = () => trustPolicy({ version: 1, keys: [], requireSignatures: false });

async function setup(connect: Connect, templates: (digest: string) => AgentTemplate[]) {
  const { registry, cleanup } = await connect();
  const factory = createAgentFactory({
    source: memorySource(templates(registry.definition("calc/add")!.digest!)),
    trust: unsigned(),
    kinds: { tools: ToolAgent },
    tools: registry,
  });
  cleanups.push(async () => {
    await factory.close();
    await cleanup();
  });
  return { registry, factory };
}

describe.each(transports)("MCP tools in agents over %s", (_name, connect) => {
  it("an agent calls a granted MCP tool; a tool its template does not name is refused", async () => {
    const { factory } = await setup(connect, () => [template("calc/adder", { tools: ["calc/add"] })]);
    const agent = await factory.create("calc/adder");
    await expect(agent.run('calc/add {"a":20,"b":22}')).resolves.toMatchObject({ content: [{ text: "42" }] });
    await expect(code(agent.run("calc/fail {}"))).resolves.toBe("NG_ERR_TOOL_UNKNOWN");
  });

  it("a server that changes a pinned tool's description is refused, with an audit event", async () => {
    const { registry, factory } = await setup(connect, (digest) => [
      template("calc/pinned", { tools: ["calc/add", "calc/admin"], toolPins: { "calc/add": digest } }),
    ]);
    const agent = await factory.create("calc/pinned");
    await expect(agent.run('calc/add {"a":1,"b":2}')).resolves.toMatchObject({ content: [{ text: "3" }] });
    const pinned = registry.definition("calc/add")!.digest;
    await agent.run('calc/admin {"action":"change-description"}');
    await vi.waitFor(() => expect(registry.definition("calc/add")!.digest).not.toBe(pinned), settle);
    audit.length = 0;
    await expect(code(agent.run('calc/add {"a":1,"b":2}'))).resolves.toBe("NG_ERR_TOOL_PIN_MISMATCH");
    expect(audit).toContainEqual(
      expect.objectContaining({ type: "tool.call", verdict: "refused", reason: "NG_ERR_TOOL_PIN_MISMATCH" }),
    );
    // A new load of the template is refused as well, until it is re-pinned and re-signed.
    const fresh = createAgentFactory({
      source: memorySource([template("calc/pinned", { tools: ["calc/add"], toolPins: { "calc/add": pinned! } })]),
      trust: unsigned(),
      kinds: { tools: ToolAgent },
      tools: registry,
    });
    cleanups.push(() => fresh.close());
    await expect(code(fresh.create("calc/pinned"))).resolves.toBe("NG_ERR_TOOL_PIN_MISMATCH");
  });

  it("a tool added by list_changed is not granted: not registered, not callable, a template naming it is refused", async () => {
    const { registry, factory } = await setup(connect, () => [
      template("calc/admin", { tools: ["calc/admin"] }),
      template("calc/greedy", { tools: ["calc/exfiltrate"] }),
    ]);
    const agent = await factory.create("calc/admin");
    await agent.run('calc/admin {"action":"add-tool"}');
    await registry.refresh();
    expect(registry.has("calc/exfiltrate")).toBe(false);
    await expect(code(agent.run("calc/exfiltrate {}"))).resolves.toBe("NG_ERR_TOOL_UNKNOWN");
    await expect(code(factory.create("calc/greedy"))).resolves.toBe("NG_ERR_TOOL_UNKNOWN");
  });
});

// `ai` 7 needs Node ≥ 22; on older runtimes this part is skipped (CI runs it on 22 and 24).
const modelRuntime = Number(process.versions.node.split(".")[0]) >= 22;

describe.skipIf(!modelRuntime).each(transports)(
  "a model-driven agent (AI SDK mock model) over %s",
  (_name, connect) => {
    it("calls its granted MCP tool and answers from the tool's result", async () => {
      const { generateText, jsonSchema, stepCountIs, tool } = await import("ai");
      const { MockLanguageModelV4 } = await import("ai/test");
      const usage = {
        inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: 1, text: 1, reasoning: undefined },
      };
      // Step 1: call the tool; step 2: answer with what the tool returned.
      const model = new MockLanguageModelV4({
        doGenerate: async (options) => {
          const results = options.prompt
            .filter((message) => message.role === "tool")
            .flatMap((message) => message.content);
          if (results.length === 0) {
            return {
              content: [{ type: "tool-call", toolCallId: "call-1", toolName: "calc__add", input: '{"a":20,"b":22}' }],
              finishReason: { unified: "tool-calls", raw: undefined },
              usage,
              warnings: [],
            };
          }
          return {
            content: [{ type: "text", text: `tool said ${JSON.stringify(results[0])}` }],
            finishReason: { unified: "stop", raw: undefined },
            usage,
            warnings: [],
          };
        },
      });
      /** Offers the model exactly the tools its template grants ("/" is not a function-name character). */
      class ModelAgent extends Agent<string, string> {
        protected async execute(task: string, context: RunContext): Promise<string> {
          const tools = Object.fromEntries(
            context.tools.names.map((name) => {
              const definition = context.tools.definition(name)!;
              return [
                name.replace("/", "__"),
                tool({
                  description: definition.description,
                  inputSchema: jsonSchema(definition.inputSchema as Record<string, unknown>),
                  execute: (input: unknown) => context.tools.call(name, input, { signal: context.signal }),
                }),
              ];
            }),
          );
          const result = await generateText({
            model,
            prompt: task,
            tools,
            stopWhen: stepCountIs(4),
            abortSignal: context.signal,
          });
          return result.text;
        }
      }
      const { registry, cleanup } = await connect();
      const factory = createAgentFactory({
        source: memorySource([template("calc/assistant", { role: "model", tools: ["calc/add"] })]),
        trust: unsigned(),
        kinds: { model: ModelAgent },
        tools: registry,
      });
      cleanups.push(async () => {
        await factory.close();
        await cleanup();
      });
      const agent = await factory.create("calc/assistant");
      const answer = await agent.run("What is 20 + 22?");
      expect(answer).toMatch(/^tool said /);
      expect(answer).toContain('"text":"42"');
      expect(model.doGenerateCalls).toHaveLength(2);
      // The model was offered the granted tool with the MCP server's description.
      expect(model.doGenerateCalls[0]!.tools).toEqual([
        expect.objectContaining({ type: "function", name: "calc__add", description: "Adds two numbers." }),
      ]);
    });
  },
);
