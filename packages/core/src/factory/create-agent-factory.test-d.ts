import { describe, expectTypeOf, it } from "vitest";
import { memorySource } from "../source/memory-source.js";
import { trustPolicy } from "../trust/trust-policy.js";
import { createAgentFactory } from "./create-agent-factory.js";
import { CoordinatorAgent, SpecialistAgent } from "./test-kinds.js";

const source = memorySource([]);
const kinds = { specialist: SpecialistAgent, coordinator: CoordinatorAgent };
const trust = trustPolicy({ version: 1, keys: [], requireSignatures: false });

describe("createAgentFactory types", () => {
  it("returns the instance type of the kind passed to create", async () => {
    const factory = createAgentFactory({ source, trust, kinds });
    expectTypeOf(await factory.create("any/id", { kind: "coordinator" })).toEqualTypeOf<CoordinatorAgent>();
    expectTypeOf(await factory.create("any/id", { kind: "specialist" })).toEqualTypeOf<SpecialistAgent>();
  });

  it("returns the union of the kinds' instance types without a kind", async () => {
    const factory = createAgentFactory({ source, trust, kinds });
    expectTypeOf(await factory.create("any/id")).toEqualTypeOf<SpecialistAgent | CoordinatorAgent>();
    expectTypeOf(await factory.createMany([{ id: "a/b" }])).toEqualTypeOf<(SpecialistAgent | CoordinatorAgent)[]>();
  });

  it("refuses a kind that is not registered", () => {
    const factory = createAgentFactory({ source, trust, kinds });
    // @ts-expect-error "reviewer" is not a registered kind
    void factory.create("any/id", { kind: "reviewer" });
  });

  it("types ids mapped by templateKinds exactly", async () => {
    const factory = createAgentFactory({ source, trust, kinds, templateKinds: { "security/auditor": "specialist" } });
    expectTypeOf(await factory.create("security/auditor")).toEqualTypeOf<SpecialistAgent>();
    expectTypeOf(await factory.create("other/id")).toEqualTypeOf<SpecialistAgent | CoordinatorAgent>();
    // @ts-expect-error templateKinds must name registered kinds
    createAgentFactory({ source, trust, kinds, templateKinds: { "a/b": "reviewer" } });
  });

  it("takes the id → kind map as an explicit type argument", async () => {
    const factory = createAgentFactory<typeof kinds, { "analysis/coordinator": "coordinator" }>({
      source,
      trust,
      kinds,
    });
    expectTypeOf(await factory.create("analysis/coordinator")).toEqualTypeOf<CoordinatorAgent>();
  });

  it("types run from the agent's Task and Result", async () => {
    const factory = createAgentFactory({ source, trust, kinds });
    const coordinator = await factory.create("any/id", { kind: "coordinator" });
    expectTypeOf(coordinator.run).parameter(0).toEqualTypeOf<string[]>();
    expectTypeOf(coordinator.run(["a"])).resolves.toEqualTypeOf<number>();
  });
});

describe("createAgentFactory kinds declared as an interface", () => {
  it("accepts an interface of agent classes (no index signature needed)", async () => {
    interface Kinds {
      specialist: typeof SpecialistAgent;
      coordinator: typeof CoordinatorAgent;
    }
    const declared: Kinds = { specialist: SpecialistAgent, coordinator: CoordinatorAgent };
    const factory = createAgentFactory({ source, trust, kinds: declared });
    expectTypeOf(await factory.create("any/id", { kind: "coordinator" })).toEqualTypeOf<CoordinatorAgent>();
    // @ts-expect-error a member that is not an agent class is refused
    createAgentFactory({ source, trust, kinds: { specialist: SpecialistAgent, broken: Date } });
  });
});
