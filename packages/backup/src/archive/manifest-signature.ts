import {
  type AgentTemplate,
  type Clock,
  memoryStateStore,
  NextGenError,
  OptionsError,
  type Signer,
  signTemplate,
  type TemplateSignature,
  type TrustPolicy,
  type TrustPolicyDocument,
  trustPolicy,
} from "@nextgen/core";
import { BackupError } from "../errors/backup-error.js";
import type { BackupManifest } from "./manifest.js";

/** The template-id namespace manifest signatures are delegated under (`nextgen-backup/<tier>`). */
export const MANIFEST_SIGNATURE_NAMESPACE = "nextgen-backup";

/**
 * What a manifest signature covers, shaped so core's template signer and verifier handle
 * it unchanged (one JWS and trust implementation, not two): id `nextgen-backup/<tier>`
 * (so a trust policy delegates backup signing with `"ids": ["nextgen-backup/*"]`), a fixed
 * version, and the whole manifest except its `signatures`. The manifest includes the
 * archive's SHA-256 and every file's, so the signature authenticates the archive bytes too,
 * encrypted or not.
 */
function signedSubject(manifest: BackupManifest): AgentTemplate {
  const { signatures, ...unsigned } = manifest;
  return {
    id: `${MANIFEST_SIGNATURE_NAMESPACE}/${manifest.tier}`,
    version: "1.0.0",
    manifest: unsigned,
    ...(signatures === undefined ? {} : { signatures }),
  } as unknown as AgentTemplate;
}

/** Signs a manifest with `signer` (core's `signTemplate` over {@link signedSubject}); returns the entries. */
export async function signManifest(
  manifest: BackupManifest,
  signer: Signer,
  clock: Clock,
): Promise<TemplateSignature[]> {
  const signed = await signTemplate(signedSubject(manifest), signer, { clock });
  return [...(signed.signatures ?? [])];
}

/** Builds the policy manifests are verified against, refusing one that would accept anything. */
export function manifestTrustPolicy(trust: TrustPolicy | TrustPolicyDocument, clock: Clock): TrustPolicy {
  const policy =
    // A policy object (from `trustPolicy()`/`loadTrustPolicy()`) has methods; a document has none.
    "withOptions" in trust
      ? trust.withOptions({ stateStore: memoryStateStore(), clock })
      : trustPolicy(trust, { stateStore: memoryStateStore(), clock });
  if (!policy.requireSignatures) {
    throw new OptionsError(
      "options.trust",
      "must require signatures: a policy that does not cannot authenticate archives.",
    );
  }
  return policy;
}

/**
 * Verifies a manifest's signatures against the trust policy with core's verifier. Each
 * check uses a fresh in-memory rollback state: archives of one tier share an id, and
 * restoring an older archive is not a rollback attack on templates (their own signatures
 * and marks are checked when they are loaded). Refuses with `NG_ERR_BACKUP_SIGNATURE`.
 */
export async function verifyManifestSignature(manifest: BackupManifest, policy: TrustPolicy): Promise<string[]> {
  if (!Array.isArray(manifest.signatures) || manifest.signatures.length === 0) {
    throw new BackupError(
      "NG_ERR_BACKUP_SIGNATURE",
      "unsigned",
      `Backup ${manifest.id} has an unsigned manifest, and a trust policy was given: refusing it. Archive with options.signer to sign manifests.`,
    );
  }
  try {
    const verified = await policy.withOptions({ stateStore: memoryStateStore() }).verify(signedSubject(manifest));
    return verified.keyIds;
  } catch (error) {
    const why = NextGenError.is(error) ? `${error.code}: ${error.message}` : String(error);
    throw new BackupError(
      "NG_ERR_BACKUP_SIGNATURE",
      "signature-invalid",
      `Backup ${manifest.id}: the manifest signature does not satisfy the trust policy (${why}).`,
      { cause: error },
    );
  }
}
