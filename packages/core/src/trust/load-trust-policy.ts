import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { NextGenError } from "../errors/next-gen-error.js";
import { compileTrustPolicy } from "./compile-trust-policy.js";
import { fileStateStore } from "./file-state-store.js";
import { TrustPolicy, type TrustPolicyOptions } from "./trust-policy.js";

/**
 * Reads and validates a `trust.json` file. Rollback marks persist by default in a file
 * beside it (`trust.state.json` for `trust.json`); pass `stateStore` to put them elsewhere
 * (required when that directory is read-only: a mark that cannot be written refuses the
 * template with `NG_ERR_TRUST_STATE` rather than drop rollback protection).
 *
 * @example
 * ```ts
 * const trust = await loadTrustPolicy("./trust.json");
 * ```
 */
export async function loadTrustPolicy(file: string, options: TrustPolicyOptions = {}): Promise<TrustPolicy> {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new NextGenError(
      "NG_ERR_TRUST_POLICY_INVALID",
      `cannot read trust policy ${file}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const stateStore = options.stateStore ?? fileStateStore(join(dirname(file), `${basename(file, ".json")}.state.json`));
  return new TrustPolicy(compileTrustPolicy(document, file), { ...options, stateStore });
}
