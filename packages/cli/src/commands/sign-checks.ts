import { createPrivateKey, createPublicKey, type JsonWebKey, KeyObject } from "node:crypto";
import {
  type AgentTemplate,
  type Clock,
  type LocalKeySignerOptions,
  loadTrustPolicy,
  memoryStateStore,
  NextGenError,
  type SignatureAlgorithm,
  SignatureError,
  type TrustPolicy,
  trustPolicy,
  wallClock,
} from "@nextgen/core";
import { resolveClock } from "@nextgen/core/internal";

/** What `nextgen sign` checks before it writes a signature. @internal */
export interface SignChecks {
  /**
   * Refuses `template` when a signature it already carries — by the signing key, or by
   * any key of `--trust` — no longer verifies: the content changed under a version that
   * was signed, which every service that accepted it will refuse as `version-reused`.
   */
  assertVersionNotReused(template: AgentTemplate): Promise<void>;
  /** With `--trust`: refuses `signed` when the new signature would not count under the policy. */
  assertCounts(signed: AgentTemplate): Promise<void>;
}

/**
 * Builds the checks for one `nextgen sign` run: the signing key's own public half, and
 * with `trustFile` the policy, whose entry for `keyId` must be this very key, not revoked,
 * inside its validity window and allowed `algorithm` (refused before any file is touched).
 * @internal
 */
export async function signChecks(options: {
  /** The signing key as `nextgen sign` read it: a PKCS#8 PEM or a private JWK. */
  privateKey: LocalKeySignerOptions["key"];
  keyId: string;
  algorithm: SignatureAlgorithm | undefined;
  trustFile: string | undefined;
  allowSameVersion: boolean;
  /**
   * The wall clock (ms since the Unix epoch) the key's validity window is checked against.
   * @default wallClock
   */
  clock?: Clock;
}): Promise<SignChecks> {
  const { keyId } = options;
  const clock = resolveClock(options.clock, "options.clock", wallClock);
  const publicKey = publicHalf(options.privateKey);
  const ownJwk = { ...(publicKey.export({ format: "jwk" }) as Record<string, unknown>), kid: keyId };
  // A policy of the signing key alone: does its signature in the file still verify?
  let own: TrustPolicy | undefined;
  try {
    own = trustPolicy({ version: 1, keys: [ownJwk as never] }, { stateStore: memoryStateStore(), clock });
  } catch {
    own = undefined; // a key type the policy format cannot hold: signing refuses it anyway
  }
  const policy =
    options.trustFile === undefined
      ? undefined
      : await loadTrustPolicy(options.trustFile, { stateStore: memoryStateStore(), clock });
  if (policy !== undefined)
    assertKeyInPolicy(policy, options.trustFile!, keyId, publicKey, options.algorithm, clock.now());

  const changedUnder = async (checker: TrustPolicy | undefined, template: AgentTemplate): Promise<string[]> => {
    if (checker === undefined) return [];
    try {
      await checker.verify(template);
      return [];
    } catch (error) {
      if (!(error instanceof SignatureError)) return [];
      return error.entries
        .filter((entry) => entry.reason === "bad-signature" && entry.keyId !== undefined)
        .map((entry) => entry.keyId as string);
    }
  };

  return {
    async assertVersionNotReused(template: AgentTemplate): Promise<void> {
      if (options.allowSameVersion || !Array.isArray(template.signatures) || template.signatures.length === 0) return;
      const stale = [...new Set([...(await changedUnder(own, template)), ...(await changedUnder(policy, template))])];
      if (stale.length === 0) return;
      throw new SignatureError(
        "version-reused",
        `${template.id}@${template.version} changed since ${stale.join(", ")} signed that version; a published version must not change (services that accepted it refuse the new content). Bump \`version\` and sign again, or pass --allow-same-version if it was never deployed.`,
        { templateId: template.id, version: template.version },
      );
    },
    async assertCounts(signed: AgentTemplate): Promise<void> {
      if (policy === undefined) return;
      try {
        await policy.verify(signed);
      } catch (error) {
        if (!(error instanceof SignatureError)) throw error;
        const mine = error.entries.find((entry) => entry.keyId === keyId);
        // Our signature counted; the others the threshold needs are for other signers to add.
        if (mine === undefined && error.reason === "threshold-not-met") return;
        if (mine === undefined) throw error;
        throw new SignatureError(
          mine.reason,
          `${signed.id}@${signed.version}: a signature by "${keyId}" would not count under ${options.trustFile} (${mine.reason})`,
          { templateId: signed.id, version: signed.version, entries: [mine] },
        );
      }
    },
  };
}

function publicHalf(privateKey: LocalKeySignerOptions["key"]): KeyObject {
  try {
    if (privateKey instanceof KeyObject) return createPublicKey(privateKey);
    return createPublicKey(
      typeof privateKey === "string"
        ? createPrivateKey(privateKey)
        : createPrivateKey({ key: privateKey as JsonWebKey, format: "jwk" }),
    );
  } catch (error) {
    throw new NextGenError(
      "NG_ERR_TRUST_KEY_INVALID",
      `--key is not a usable private key: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

function assertKeyInPolicy(
  policy: TrustPolicy,
  file: string,
  keyId: string,
  publicKey: KeyObject,
  algorithm: SignatureAlgorithm | undefined,
  nowMs: number,
): void {
  const listed = policy.document.keys.find((key) => key.kid === keyId);
  if (listed === undefined)
    throw new SignatureError(
      "unknown-key",
      `${file} lists no key "${keyId}"; its signatures would not count (add it with nextgen trust add-key)`,
    );
  if (listed.revoked === true || (policy.document.revoked ?? []).includes(keyId))
    throw new SignatureError("revoked-key", `${file} revokes "${keyId}"; sign with a current key`);
  const { kid: _kid, notBefore, notAfter, revoked: _revoked, comment: _comment, ...jwk } = listed;
  if (!createPublicKey({ key: jwk as JsonWebKey, format: "jwk" }).equals(publicKey))
    throw new NextGenError(
      "NG_ERR_TRUST_KEY_INVALID",
      `--key is not the key ${file} lists as "${keyId}" (the public keys differ); its signatures would be refused as bad`,
    );
  if (
    (notBefore !== undefined && nowMs < Date.parse(notBefore)) ||
    (notAfter !== undefined && nowMs > Date.parse(notAfter))
  )
    throw new SignatureError(
      "key-out-of-window",
      `${file} accepts "${keyId}" only from ${notBefore ?? "any time"} to ${notAfter ?? "any time"}`,
    );
  const wanted = algorithm ?? listed.alg;
  const allowed = policy.document.algorithms;
  if (
    (listed.alg !== undefined && wanted !== undefined && wanted !== listed.alg) ||
    (wanted !== undefined && allowed !== undefined && !allowed.includes(wanted))
  )
    throw new SignatureError(
      "algorithm-not-allowed",
      `${file} does not accept ${wanted} signatures by "${keyId}" (key alg ${listed.alg ?? "any"}, policy algorithms ${(allowed ?? []).join(", ") || "default"})`,
    );
}
