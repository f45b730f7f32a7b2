import { describe, expect, it } from "vitest";
import { assertServedIdentity, identityMismatch } from "./identity-mismatch.js";

describe("identityMismatch: the one id rule", () => {
  it.each([
    [{ id: "a/b", version: "1.0.0" }, { id: "a/b", version: "1.0.0" }, undefined],
    [{ id: "a/b", version: "1.0.0" }, { id: "a/b", version: undefined }, undefined],
    [{ id: "a/b", version: "1.0.0" }, { id: "a/b" }, undefined],
    [{ id: "a/c", version: "1.0.0" }, { id: "a/b", version: "1.0.0" }, "id"],
    [{ id: "a/c", version: "2.0.0" }, { id: "a/b", version: "1.0.0" }, "id"],
    [{ id: "a/b", version: "2.0.0" }, { id: "a/b", version: "1.0.0" }, "version"],
    [{ id: "a/b" }, { id: "a/b", version: "1.0.0" }, "version"],
    [{ id: 42, version: "1.0.0" }, { id: "42" }, "id"],
  ] as const)("%j against %j → %s", (declared, expected, verdict) => {
    expect(identityMismatch(declared, expected)).toBe(verdict);
  });

  it("assertServedIdentity throws NG_ERR_SOURCE_ID_MISMATCH naming both identities", () => {
    const template = { id: "a/evil", version: "1.0.0" };
    expect(() =>
      assertServedIdentity(template, { id: "a/b", version: "1.0.0", location: "s3://x" }, "asked as a/b"),
    ).toThrow(
      expect.objectContaining({
        code: "NG_ERR_SOURCE_ID_MISMATCH",
        message: "s3://x holds a/evil@1.0.0, but asked as a/b.",
      }),
    );
    expect(() => assertServedIdentity(template, { id: "a/evil", location: "s3://x" }, "latest")).not.toThrow();
  });
});
