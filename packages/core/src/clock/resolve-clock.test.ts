import { describe, expect, it } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { signTemplate } from "../trust/sign-template.js";
import { fixedClock, makeTestKey, sampleTemplate } from "../trust/test-fixtures.js";
import { trustPolicy } from "../trust/trust-policy.js";
import { monotonicClock, wallClock } from "./clock.js";
import { resolveClock } from "./resolve-clock.js";

describe("resolveClock", () => {
  it("returns the given clock, or the fallback when the option is absent", () => {
    const clock = fixedClock();
    expect(resolveClock(clock, "options.clock", wallClock)).toBe(clock);
    expect(resolveClock(undefined, "options.clock", monotonicClock)).toBe(monotonicClock);
  });

  it.each([
    ["a bare function (the old shape)", () => 0],
    ["null", null],
    ["a number", 1_780_000_000_000],
    ["an object without now()", { time: 0 }],
  ])("refuses %s with NG_ERR_OPTIONS_INVALID naming the option", (_, value) => {
    let caught: unknown;
    try {
      resolveClock(value, "options.retention.clock", wallClock);
    } catch (error) {
      caught = error;
    }
    expect(NextGenError.is(caught)).toBe(true);
    expect(caught).toMatchObject({ code: "NG_ERR_OPTIONS_INVALID", option: "options.retention.clock" });
  });
});

describe("clock options in trust", () => {
  it("trustPolicy refuses a function clock at construction", () => {
    expect(() =>
      trustPolicy({ version: 1, keys: [makeTestKey("release").publicJwk] }, { clock: Date.now as never }),
    ).toThrow(expect.objectContaining({ code: "NG_ERR_OPTIONS_INVALID", option: "options.clock" }));
  });

  it("signTemplate reads iat from the injected wall clock", async () => {
    const key = makeTestKey("release");
    const clock = fixedClock(Date.parse("2030-01-01T00:00:00Z"));
    const signed = await signTemplate(sampleTemplate(), key.signer, { clock });
    const header = JSON.parse(Buffer.from(signed.signatures![0]!.protected, "base64url").toString("utf8"));
    expect(header.iat).toBe(clock.now() / 1000);
    await expect(signTemplate(sampleTemplate(), key.signer, { clock: (() => 0) as never })).rejects.toMatchObject({
      code: "NG_ERR_OPTIONS_INVALID",
      option: "options.clock",
    });
  });
});
