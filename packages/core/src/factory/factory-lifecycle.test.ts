import { describe, expect, it } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { memorySource } from "../source/memory-source.js";
import type { SourceEntry, TemplateSource } from "../source/template-source.js";
import { toolRegistry } from "../tools/tool-registry.js";
import { trustPolicy } from "../trust/trust-policy.js";
import { createAgentFactory } from "./create-agent-factory.js";
import { CoordinatorAgent, SpecialistAgent, templates, tools } from "./test-kinds.js";

const kinds = { specialist: SpecialistAgent, coordinator: CoordinatorAgent };
const trust = trustPolicy({ version: 1, keys: [], requireSignatures: false });
const code = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => (NextGenError.is(error) ? error.code : `uncoded: ${String(error)}`),
  );

// A source whose reads wait until the test releases them, to act while a load is in flight.
function gatedSource(): TemplateSource & { release(): void } {
  const inner = memorySource(templates);
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    name: "gated",
    list: (options) => inner.list(options),
    get: async (id, version, options): Promise<SourceEntry | undefined> => {
      await gate;
      return inner.get(id, version, options);
    },
    release: () => open(),
  };
}

describe("factory lifecycle", () => {
  it("lets one caller abort its create while the shared load completes for the others", async () => {
    const source = gatedSource();
    const factory = createAgentFactory({ source, trust, kinds, tools: toolRegistry(tools) });
    const controller = new AbortController();
    const aborted = code(factory.create("security/auditor", { signal: controller.signal }));
    const patient = factory.create("security/auditor");
    controller.abort(new Error("client went away"));
    expect(await aborted).toBe("NG_ERR_AGENT_ABORTED");
    source.release();
    expect((await patient).template.id).toBe("security/auditor");
  });

  it("refuses a create whose load finishes after close, without constructing an agent", async () => {
    const source = gatedSource();
    let constructed = 0;
    class Counting extends SpecialistAgent {
      constructor(init: ConstructorParameters<typeof SpecialistAgent>[0]) {
        super(init);
        constructed++;
      }
    }
    const factory = createAgentFactory({ source, trust, kinds: { specialist: Counting }, tools: toolRegistry(tools) });
    const pending = code(factory.create("security/auditor"));
    await factory.close();
    source.release();
    expect(await pending).toBe("NG_ERR_FACTORY_CLOSED");
    expect(constructed).toBe(0);
  });

  it("createMany disposes the agents it made when one request fails", async () => {
    const disposed: string[] = [];
    class Tracking extends SpecialistAgent {
      protected override onDispose(): void {
        disposed.push(this.id);
      }
    }
    const factory = createAgentFactory({
      source: memorySource(templates),
      trust,
      kinds: { specialist: Tracking, coordinator: CoordinatorAgent },
      tools: toolRegistry(tools),
    });
    const outcome = await code(
      factory.createMany([{ id: "security/auditor" }, { id: "security/auditor", version: "1.2.0" }, { id: "no/such" }]),
    );
    expect(outcome).toBe("NG_ERR_TEMPLATE_NOT_FOUND");
    expect(disposed).toHaveLength(2);
  });

  it("hands out instance ids that differ across factories", async () => {
    const make = () =>
      createAgentFactory({ source: memorySource(templates), trust, kinds, tools: toolRegistry(tools) });
    const [a, b] = [make(), make()];
    const first = await a.create("analysis/coordinator");
    const second = await b.create("analysis/coordinator");
    expect(first.id).not.toBe(second.id);
    expect(first.id).toMatch(/^[\w-]+-1$/);
  });

  it("serves warm creates by id, by id@version and with a signal, each from the right template", async () => {
    let reads = 0;
    const inner = memorySource(templates);
    const source: TemplateSource = {
      name: "counting",
      list: (options) => inner.list(options),
      get: (id, version, options) => {
        reads++;
        return inner.get(id, version, options);
      },
    };
    const factory = createAgentFactory({ source, trust, kinds, tools: toolRegistry(tools), cache: { maxEntries: 2 } });
    for (let round = 0; round < 2; round++) {
      expect((await factory.create("security/auditor", { version: "1.2.0" })).template.version).toBe("1.2.0");
      expect((await factory.create("security/auditor")).template.version).toBe("2.0.0");
      const signal = new AbortController().signal;
      expect((await factory.create("security/auditor", { signal })).template.version).toBe("2.0.0");
      expect(await factory.create("security/auditor", { kind: "coordinator" })).toBeInstanceOf(CoordinatorAgent);
    }
    const warmReads = reads;
    expect(await code(factory.create("security/auditor", { signal: AbortSignal.abort() }))).toBe(
      "NG_ERR_AGENT_ABORTED",
    );
    // Evicting 1.2.0 from the in-process cache (two keys at most: a create of the latest takes
    // `id` and `id@version`, each parent its own) drops its warm binding with it.
    await factory.create("analysis/coordinator");
    await factory.create("security/auditor", { version: "1.2.0" });
    expect(reads).toBeGreaterThan(warmReads + 1);
  });
});
