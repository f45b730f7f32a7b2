import { readFile } from "node:fs/promises";
import { ConfigError } from "../config/config-error.js";

/** What a request may do: `run` an agent, `read` templates and runs, `admin` (reload). */
export type RbacAction = "run" | "read" | "admin";

/** One grant: these actions on templates matching these patterns. */
export interface RbacRule {
  readonly actions: readonly (RbacAction | "*")[];
  /** `"*"`, `"<namespace>/*"` or an exact template id. */
  readonly templates: readonly string[];
}

/** The `RBAC_FILE` document (version 1). */
export interface RbacDocument {
  readonly version: 1;
  readonly roles: Readonly<Record<string, readonly RbacRule[]>>;
}

/** Decides what a token's roles allow. Default deny. */
export interface RbacPolicy {
  /** Whether one of `roles` grants `action` on template `templateId`. */
  allows(roles: readonly string[], action: RbacAction, templateId: string): boolean;
  /** Whether one of `roles` grants `action` on some template (for lists and admin routes). */
  allowsAny(roles: readonly string[], action: RbacAction): boolean;
}

const ACTIONS = new Set(["run", "read", "admin", "*"]);
const PATTERN = /^(\*|[a-z0-9-]+\/\*|[a-z0-9-]+\/[a-z0-9-]+)$/;
const MAX_RBAC_BYTES = 1024 * 1024;
/** Decisions remembered per roles array (the template id comes from the request path). */
const MAX_DECISIONS = 1024;

/**
 * Checks an RBAC document, throwing a {@link ConfigError} for `variable` with the JSON
 * path of the first problem. Unknown keys are refused: a typo must not silently grant or
 * deny.
 *
 * @example
 * ```ts
 * const policy = rbacPolicy({ version: 1, roles: { reader: [{ actions: ["read"], templates: ["*"] }] } });
 * policy.allows(["reader"], "read", "security/auditor"); // true
 * ```
 */
export function rbacPolicy(document: unknown, variable = "RBAC_FILE"): RbacPolicy {
  const fail = (where: string, problem: string): never => {
    throw new ConfigError(variable, `${where} ${problem}`);
  };
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  if (!isObject(document)) fail("the document", "must be a JSON object");
  const { version, roles, ...rest } = document as Record<string, unknown>;
  for (const key of Object.keys(rest)) fail(key, 'is not a known key (expected "version", "roles")');
  if (version !== 1) fail("version", "must be 1");
  if (!isObject(roles)) fail("roles", "must be an object of role name → rules");
  const compiled = new Map<string, { actions: Set<string>; matches: (id: string) => boolean }[]>();
  for (const [role, rules] of Object.entries(roles as Record<string, unknown>)) {
    if (!Array.isArray(rules)) fail(`roles.${role}`, "must be an array of rules");
    compiled.set(
      role,
      (rules as unknown[]).map((rule, index) => {
        const where = `roles.${role}[${index}]`;
        if (!isObject(rule)) fail(where, "must be an object { actions, templates }");
        const { actions, templates, ...extra } = rule as Record<string, unknown>;
        for (const key of Object.keys(extra))
          fail(`${where}.${key}`, 'is not a known key (expected "actions", "templates")');
        if (!Array.isArray(actions) || actions.length === 0) fail(`${where}.actions`, "must be a non-empty array");
        (actions as unknown[]).forEach((action, at) => {
          if (typeof action !== "string" || !ACTIONS.has(action))
            fail(`${where}.actions[${at}]`, "must be run, read, admin or *");
        });
        if (!Array.isArray(templates) || templates.length === 0)
          fail(`${where}.templates`, "must be a non-empty array");
        (templates as unknown[]).forEach((pattern, at) => {
          if (typeof pattern !== "string" || !PATTERN.test(pattern)) {
            fail(`${where}.templates[${at}]`, 'must be "*", "<namespace>/*" or a template id');
          }
        });
        // Copied: the compiled policy must not follow later edits of the document.
        const patterns = [...(templates as string[])];
        const matches = (id: string): boolean =>
          patterns.some((pattern) =>
            pattern === "*" ? true : pattern.endsWith("/*") ? id.startsWith(pattern.slice(0, -1)) : id === pattern,
          );
        return { actions: new Set(actions as string[]), matches };
      }),
    );
  }
  const rulesOf = (held: readonly string[]) => held.flatMap((role) => compiled.get(role) ?? []);
  const grants = (actions: Set<string>, action: RbacAction) => actions.has(action) || actions.has("*");
  const decide = (held: readonly string[], action: RbacAction, templateId: string) =>
    rulesOf(held).some((rule) => grants(rule.actions, action) && rule.matches(templateId));
  // Decisions remembered per roles array, for frozen arrays only (a verified token's, which the
  // authenticator keeps while it remembers the token, so each request asks with the same one);
  // at most MAX_DECISIONS per array, since the template id comes from the request path. The
  // policy is immutable: a new policy starts with no decisions.
  const decisions = new WeakMap<readonly string[], Map<string, boolean>>();
  return {
    allows: (held, action, templateId) => {
      if (!Object.isFrozen(held)) return decide(held, action, templateId);
      let known = decisions.get(held);
      if (known === undefined) {
        known = new Map();
        decisions.set(held, known);
      }
      const key = `${action} ${templateId}`;
      let allowed = known.get(key);
      if (allowed === undefined) {
        allowed = decide(held, action, templateId);
        if (known.size < MAX_DECISIONS) known.set(key, allowed);
      }
      return allowed;
    },
    allowsAny: (held, action) => rulesOf(held).some((rule) => grants(rule.actions, action)),
  };
}

/**
 * Reads `RBAC_FILE` (bounded to 1 MiB) and checks it.
 *
 * @example
 * ```ts
 * const policy = await loadRbacFile("/etc/nextgen/rbac.json");
 * ```
 */
export async function loadRbacFile(path: string): Promise<RbacPolicy> {
  let text: string;
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_RBAC_BYTES) throw new Error("larger than 1 MiB");
    text = bytes.toString("utf8");
  } catch (error) {
    throw new ConfigError("RBAC_FILE", `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigError("RBAC_FILE", `${path} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  return rbacPolicy(document);
}

/** The development policy of the embedded mode: `admin` may do everything, `reader` read, `runner` run and read. */
export const DEVELOPMENT_RBAC: RbacDocument = {
  version: 1,
  roles: {
    admin: [{ actions: ["*"], templates: ["*"] }],
    runner: [{ actions: ["run", "read"], templates: ["*"] }],
    reader: [{ actions: ["read"], templates: ["*"] }],
  },
};
