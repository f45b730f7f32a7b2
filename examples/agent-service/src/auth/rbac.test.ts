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

  it("decides the same with remembered decisions: a verified token's frozen roles, per action and template", () => {
    const roles = Object.freeze(["security-team"]);
    for (let round = 0; round < 2; round++) {
      expect(policy.allows(roles, "run", "security/auditor")).toBe(true);
      expect(policy.allows(roles, "admin", "security/auditor")).toBe(false);
      expect(policy.allows(roles, "run", "quality/auditor")).toBe(false);
    }
    // Another frozen array with other roles is decided on its own.
    expect(policy.allows(Object.freeze(["auditor"]), "run", "security/auditor")).toBe(false);
    // A template id never asked before, past the bound of remembered decisions, is still decided.
    for (let index = 0; index < 1100; index++) policy.allows(roles, "read", `security/t-${index}`);
    expect(policy.allows(roles, "read", "security/late")).toBe(true);
    expect(policy.allows(roles, "read", "quality/late")).toBe(false);
  });

  it("does not follow edits of the document or of an unfrozen roles array after the fact", () => {
    const document = { version: 1, roles: { team: [{ actions: ["run"], templates: ["security/*"] }] } };
    const edited = rbacPolicy(document);
    document.roles.team[0]!.templates.push("*");
    expect(edited.allows(["team"], "run", "quality/auditor")).toBe(false);
    const held = ["team"];
    expect(edited.allows(held, "run", "security/auditor")).toBe(true);
    held[0] = "nobody";
    expect(edited.allows(held, "run", "security/auditor")).toBe(false);
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
