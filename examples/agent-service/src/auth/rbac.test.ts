import { describe, expect, it } from "vitest";
import { rbacPolicy } from "./rbac.js";

describe("rbacPolicy", () => {
  const policy = rbacPolicy({
    version: 1,
    roles: {
      "security-team": [{ actions: ["run", "read"], templates: ["security/*"] }],
      auditor: [{ actions: ["read"], templates: ["*"] }],
      writer: [{ actions: ["*"], templates: ["docs/technical-writer"] }],
    },
  });

  it("grants by action and template pattern: namespace wildcard, any, exact id", () => {
    expect(policy.allows(["security-team"], "run", "security/auditor")).toBe(true);
    expect(policy.allows(["security-team"], "run", "securityx/auditor")).toBe(false);
    expect(policy.allows(["security-team"], "admin", "security/auditor")).toBe(false);
    expect(policy.allows(["auditor"], "read", "quality/auditor")).toBe(true);
    expect(policy.allows(["auditor"], "run", "quality/auditor")).toBe(false);
    expect(policy.allows(["writer"], "admin", "docs/technical-writer")).toBe(true);
    expect(policy.allows(["writer"], "run", "docs/other")).toBe(false);
    expect(policy.allows(["auditor", "security-team"], "run", "security/x")).toBe(true);
  });

  it("denies by default: unknown roles, no roles, prototype names", () => {
    expect(policy.allows([], "read", "security/auditor")).toBe(false);
    expect(policy.allows(["root"], "read", "security/auditor")).toBe(false);
    expect(policy.allows(["__proto__", "constructor"], "read", "security/auditor")).toBe(false);
    expect(policy.allowsAny(["root"], "admin")).toBe(false);
    expect(policy.allowsAny(["writer"], "admin")).toBe(true);
  });

  it("refuses a malformed document with the JSON path of the first problem", () => {
    const refused = (document: unknown) => {
      try {
        rbacPolicy(document);
        return "accepted";
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(refused([])).toBe("RBAC_FILE: the document must be a JSON object");
    expect(refused({ version: 2, roles: {} })).toBe("RBAC_FILE: version must be 1");
    expect(refused({ version: 1, roles: {}, extra: 1 })).toBe(
      'RBAC_FILE: extra is not a known key (expected "version", "roles")',
    );
    expect(refused({ version: 1, roles: { a: {} } })).toBe("RBAC_FILE: roles.a must be an array of rules");
    expect(refused({ version: 1, roles: { a: [{ actions: ["run"], templates: ["Security/*"] }] } })).toBe(
      'RBAC_FILE: roles.a[0].templates[0] must be "*", "<namespace>/*" or a template id',
    );
    expect(refused({ version: 1, roles: { a: [{ actions: [], templates: ["*"] }] } })).toBe(
      "RBAC_FILE: roles.a[0].actions must be a non-empty array",
    );
    expect(refused({ version: 1, roles: { a: [{ actions: ["run"], templates: ["*"], tools: [] }] } })).toMatch(
      /roles.a\[0\].tools is not a known key/,
    );
  });
});
