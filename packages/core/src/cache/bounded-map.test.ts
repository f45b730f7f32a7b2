import { describe, expect, it } from "vitest";
import { BoundedMap } from "./bounded-map.js";

describe("BoundedMap", () => {
  it("keeps at most max entries, dropping the least recently set", () => {
    const map = new BoundedMap<string, number>(3);
    for (const [index, key] of ["a", "b", "c", "d"].entries()) map.set(key, index);
    expect([...map.keys()]).toEqual(["b", "c", "d"]);
    expect(map.size).toBe(3);
    expect(map.has("a")).toBe(false);
  });

  it("refreshes an entry that is set again, not one that is read", () => {
    const map = new BoundedMap<string, number>(2);
    map.set("a", 1).set("b", 2);
    expect(map.get("a")).toBe(1);
    map.set("c", 3); // "a" was only read: it is the oldest
    expect([...map.keys()]).toEqual(["b", "c"]);
    map.set("b", 20).set("d", 4); // "b" was set again: "c" goes
    expect([...map.keys()]).toEqual(["b", "d"]);
    expect(map.get("b")).toBe(20);
  });

  it("deletes and clears", () => {
    const map = new BoundedMap<string, true>(10);
    map.set("a", true).set("b", true);
    expect(map.delete("a")).toBe(true);
    expect(map.delete("a")).toBe(false);
    map.clear();
    expect(map.size).toBe(0);
  });

  it("refuses a bound that is not a positive integer", () => {
    expect(() => new BoundedMap(0)).toThrow(RangeError);
    expect(() => new BoundedMap(1.5)).toThrow(RangeError);
  });
});
