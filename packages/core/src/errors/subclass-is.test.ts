import { describe, expect, it } from "vitest";
import { SignatureError } from "../trust/signature-error.js";
import { NextGenError } from "./next-gen-error.js";
import { TemplateValidationError } from "./template-validation-error.js";

/** What an error from a second copy of the SDK looks like: same brand and fields, other class. */
function foreign(fields: Record<string, unknown>): Error {
  const error = Object.assign(new Error("from another install"), fields);
  Object.defineProperty(error, Symbol.for("nextgen.error"), { value: true });
  return error;
}

describe("SignatureError.is", () => {
  it("narrows to the typed fields, also for an error from another copy of the SDK", () => {
    const local = new SignatureError("rollback", "older version");
    const other = foreign({ code: "NG_ERR_SIGNATURE_ROLLBACK", reason: "rollback", entries: [] });
    for (const error of [local, other] as unknown[]) {
      expect(SignatureError.is(error)).toBe(true);
      expect(SignatureError.is(error, "NG_ERR_SIGNATURE_ROLLBACK")).toBe(true);
      expect(SignatureError.is(error, "NG_ERR_SIGNATURE_BAD")).toBe(false);
      if (SignatureError.is(error)) expect(error.reason).toBe("rollback");
    }
  });

  it("refuses other coded errors and look-alikes without the brand", () => {
    expect(SignatureError.is(new NextGenError("NG_ERR_SIGNATURE_BAD", "no reason field"))).toBe(false);
    expect(SignatureError.is(new NextGenError("NG_ERR_TEMPLATE_INVALID", "x"))).toBe(false);
    expect(
      SignatureError.is(Object.assign(new Error("x"), { code: "NG_ERR_SIGNATURE_BAD", reason: "bad-signature" })),
    ).toBe(false);
  });
});

describe("TemplateValidationError.is", () => {
  it("narrows to issues, across copies of the SDK", () => {
    const issue = { pointer: "/version", message: "must be semver", keyword: "pattern" };
    const local = new TemplateValidationError([issue]);
    const other = foreign({ code: "NG_ERR_TEMPLATE_INVALID", issues: [issue] });
    for (const error of [local, other] as unknown[]) {
      expect(TemplateValidationError.is(error)).toBe(true);
      if (TemplateValidationError.is(error)) expect(error.issues[0]?.pointer).toBe("/version");
    }
    expect(TemplateValidationError.is(new NextGenError("NG_ERR_TEMPLATE_INVALID", "no issues"))).toBe(false);
    expect(TemplateValidationError.is(new SignatureError("missing", "unsigned"))).toBe(false);
  });
});
