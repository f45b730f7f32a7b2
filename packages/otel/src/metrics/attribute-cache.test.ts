import { expect, it } from "vitest";
import { attributeCache } from "./attribute-cache.js";
import type { AgentObservation } from "./metric-sink.js";

const observation = (kind: string, errorType?: string, templateId = "a/b"): AgentObservation => ({
  seconds: 0.001,
  kind,
  templateId,
  errorType,
});

it("builds once per kind and outcome, and per template only when template ids are in", () => {
  let builds = 0;
  const attributes = attributeCache((seen) => ({ kind: seen.kind, error: seen.errorType, id: ++builds }), false);
  const first = attributes(observation("specialist"));
  expect(attributes(observation("specialist", undefined, "c/d"))).toBe(first);
  expect(attributes(observation("specialist", "NG_ERR_X"))).toMatchObject({ error: "NG_ERR_X" });
  expect(attributes(observation("coordinator"))).not.toBe(first);
  expect(builds).toBe(3);

  const byTemplate = attributeCache((seen) => ({ id: seen.templateId }), true);
  expect(byTemplate(observation("specialist", undefined, "c/d"))).toEqual({ id: "c/d" });
  expect(byTemplate(observation("specialist", undefined, "e/f"))).toEqual({ id: "e/f" });
});

it("stops caching past the limit instead of growing (a cardinality mistake costs allocations only)", () => {
  let builds = 0;
  const attributes = attributeCache((seen) => ({ kind: seen.kind, id: ++builds }), false, 2);
  attributes(observation("a"));
  attributes(observation("b"));
  const third = attributes(observation("c"));
  expect(attributes(observation("c"))).not.toBe(third);
  expect(attributes(observation("c"))).toEqual({ kind: "c", id: 5 });
  expect(attributes(observation("a"))).toMatchObject({ id: 1 });
});
