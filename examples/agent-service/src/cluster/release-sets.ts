import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { developmentIssuer, signSampleTemplates } from "../dev/embedded-defaults.js";
import type { Color } from "./cluster-files.js";

/**
 * Signs the sample templates afresh for one release (a new throwaway key per release, its
 * `trust.json` trusting only that key) under `<dir>/releases/<color>-<n>`, and returns the
 * environment of that release's replicas. Same content, same versions: the shared rollback
 * marks in Redis accept it (the digest covers the content, not the signatures).
 */
export async function signRelease(dir: string, color: Color): Promise<Record<string, string>> {
  const releaseDir = join(dir, "releases", `${color}-${Date.now().toString(36)}`);
  const { templatesDir, trust } = await signSampleTemplates(releaseDir);
  const trustFile = join(releaseDir, "trust.json");
  await writeFile(trustFile, `${JSON.stringify(trust, null, 2)}\n`);
  return { TEMPLATES_DIR: templatesDir, TRUST_FILE: trustFile };
}

/**
 * The cluster's authentication: a JWKS and RBAC file every replica reads, and a token for
 * the load generator. When `AUTH_JWKS_FILE` is already set, the operator's files pass to the
 * replicas unchanged and the load uses `CLUSTER_TOKEN`.
 */
export async function clusterAuth(dir: string): Promise<{ env: Record<string, string>; token: string }> {
  if (process.env.AUTH_JWKS_FILE) {
    const token = process.env.CLUSTER_TOKEN;
    if (!token) throw new Error("AUTH_JWKS_FILE is set: set CLUSTER_TOKEN to a token that may run security/auditor");
    return { env: {}, token };
  }
  const issuer = developmentIssuer();
  const authDir = join(dir, "auth");
  await mkdir(authDir, { recursive: true });
  const jwksFile = join(authDir, "jwks.json");
  const rbacFile = join(authDir, "rbac.json");
  await writeFile(jwksFile, JSON.stringify(issuer.jwks));
  await writeFile(rbacFile, JSON.stringify({ version: 1, roles: { cluster: [{ actions: ["*"], templates: ["*"] }] } }));
  return {
    env: { AUTH_JWKS_FILE: jwksFile, RBAC_FILE: rbacFile },
    token: await issuer.mint("cluster-load", ["cluster"]),
  };
}
