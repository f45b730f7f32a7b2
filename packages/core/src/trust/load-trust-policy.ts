import { basename, dirname, join } from "node:path";
import { NextGenError } from "../errors/next-gen-error.js";
import { compileTrustPolicy } from "./compile-trust-policy.js";
import { fileStateStore } from "./file-state-store.js";
import { readTrustJsonFile } from "./read-policy-file.js";
import { TrustPolicy, type TrustPolicyOptions } from "./trust-policy.js";

/**
 * Reads and validates a `trust.json` file, with the strict JSON parser (a duplicate
 * member is refused; messages give `line:column`). Rollback marks persist by default in
 * a file beside it (`trust.state.json` for `trust.json`); pass `stateStore` to put them
 * elsewhere. The state store is checked here: when it cannot be written (a ConfigMap or
 * `:ro` mount), loading fails with `NG_ERR_TRUST_STATE` and says how to move the state,
 * rather than every later create failing.
 *
 * @example
 * ```ts
 * const trust = await loadTrustPolicy("./trust.json");
 * ```
 */
export async function loadTrustPolicy(file: string, options: TrustPolicyOptions = {}): Promise<TrustPolicy> {
  const document = await readTrustJsonFile(file, "NG_ERR_TRUST_POLICY_INVALID", "trust policy");
  const compiled = compileTrustPolicy(document, file);
  const statePath = join(dirname(file), `${basename(file, ".json")}.state.json`);
  const stateStore = options.stateStore ?? fileStateStore(statePath);
  if (compiled.requireSignatures) {
    try {
      await stateStore.check?.();
    } catch (error) {
      const remedy =
        options.stateStore === undefined
          ? `The rollback state defaults to ${statePath}, beside the policy; when that directory is read-only (a ConfigMap, a :ro mount), keep the state elsewhere: loadTrustPolicy(${JSON.stringify(file)}, { stateStore: fileStateStore("/var/lib/<app>/trust.state.json") }) or redisStateStore(…).`
          : "Give the state store a writable place.";
      throw new NextGenError("NG_ERR_TRUST_STATE", `${(error as Error).message}. ${remedy}`, { cause: error });
    }
  }
  return new TrustPolicy(compiled, { ...options, stateStore });
}
