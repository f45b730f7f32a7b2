// The handler and the metrics take core's objects without importing their types: these
// checks break if core's shapes drift away from what we rely on.
import type { AgentFactory, TrustPolicy } from "@nextgen/core";
import type { WorkerPool } from "@nextgen/core/pool";
import { expectTypeOf, test } from "vitest";
import type { HealthSource, PoolStatsSource, TrustExpirySource } from "./index.js";

test("the agent factory is a HealthSource", () => {
  expectTypeOf<AgentFactory>().toExtend<HealthSource>();
});

test("a TrustPolicy is a TrustExpirySource", () => {
  expectTypeOf<TrustPolicy>().toExtend<TrustExpirySource>();
});

test("a worker pool is a PoolStatsSource", () => {
  expectTypeOf<WorkerPool>().toExtend<PoolStatsSource>();
});
