import { describe, expect, test } from "vitest";
import { fastPathStrategy, plainStrategy } from "./dispatch-strategy.js";

describe("fastPathStrategy", () => {
  test("pipelines about 1 ms of expected work: deep for tiny tasks, one at a time for long ones", () => {
    const strategy = fastPathStrategy();
    expect(strategy.depth).toBe(1);
    strategy.recordRun(0.01);
    expect(strategy.depth).toBe(64);
    const long = fastPathStrategy();
    long.recordRun(5);
    expect(long.depth).toBe(1);
    // The moving average follows the tasks: once they get long, pipelining stops.
    for (let index = 0; index < 100; index++) strategy.recordRun(2);
    expect(strategy.depth).toBe(1);
    for (let index = 0; index < 100; index++) strategy.recordRun(0.3);
    expect(strategy.depth).toBe(3);
  });

  test("lets workers poll only while the pool holds no more tasks than threads", () => {
    const strategy = fastPathStrategy();
    strategy.recordLoad(2, 2);
    expect(Atomics.load(strategy.light, 0)).toBe(1);
    strategy.recordLoad(3, 2);
    expect(Atomics.load(strategy.light, 0)).toBe(0);
    strategy.recordLoad(0, 2);
    expect(Atomics.load(strategy.light, 0)).toBe(1);
  });
});

describe("plainStrategy", () => {
  test("one task per worker and no polling, whatever the load and run times", () => {
    const strategy = plainStrategy();
    strategy.recordRun(0.001);
    strategy.recordLoad(0, 4);
    expect(strategy.depth).toBe(1);
    expect(Atomics.load(strategy.light, 0)).toBe(0);
  });
});
