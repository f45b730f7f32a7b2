import { LRUCache } from "lru-cache";
import type { TrustVerifyContext } from "../diagnostics/payloads.js";
import { plain, publish, traced, tracing } from "../diagnostics/publish.js";
import { NextGenError } from "../errors/next-gen-error.js";
import { OptionsError } from "../errors/options-error.js";
import type { AgentTemplate, TemplateDigest } from "../template/types.js";
import { type CompiledTrustPolicy, compileTrustPolicy } from "./compile-trust-policy.js";
import { evaluateSignatures, type SignatureEvaluation } from "./evaluate-signatures.js";
import { base64url, fromBase64url } from "./jws-envelope.js";
import { memoryStateStore } from "./memory-state-store.js";
import { refusalFor } from "./refusal.js";
import { checkRollback } from "./rollback-check.js";
import { SignatureError } from "./signature-error.js";
import type { StateStore } from "./state-store.js";
import { canonicalTemplateBytes, digestOfBytes } from "./template-bytes.js";
import type { TemplateVerifier, VerifiedTemplate, VerifyOptions } from "./template-verifier.js";
import type { TrustPolicyDocument } from "./trust-policy-document.js";
import { warnSignaturesNotRequired } from "./warn-signatures-not-required.js";
import { registerMemoHooks, type WorkerVerdict } from "./worker-verdict.js";

/** Options of {@link trustPolicy} and {@link loadTrustPolicy}. */
export interface TrustPolicyOptions {
  /**
   * Where rollback high-water marks persist.
   * @default `memoryStateStore()` for `trustPolicy`; for `loadTrustPolicy(file)`, a
   * `fileStateStore` at `<file without .json>.state.json` beside the policy
   */
  stateStore?: StateStore;
  /**
   * Current time in milliseconds since the epoch (key windows, `exp`).
   * @default Date.now
   */
  clock?: () => number;
  /**
   * Verdicts remembered per digest and signature set, so a template verified once costs
   * no cryptography again.
   * @default 10000
   */
  memoMaxEntries?: number;
}

interface MemoEntry {
  keyIds: string[];
  validUntilMs: number;
}

/**
 * A trust policy: which keys may sign which templates, how many must, and with which
 * algorithms. It is the `TemplateVerifier` the factory calls. Build one with
 * {@link trustPolicy} or {@link loadTrustPolicy}.
 *
 * @example
 * ```ts
 * const trust = await loadTrustPolicy("./trust.json");
 * const { digest, keyIds } = await trust.verify(template); // or rejects with a SignatureError
 * ```
 */
export class TrustPolicy implements TemplateVerifier {
  /** The policy document, as given. */
  readonly document: TrustPolicyDocument;
  /** Signature verifications performed so far (memoized verdicts do not count). */
  get cryptoOperations(): number {
    return this.#cryptoOperations;
  }
  #cryptoOperations = 0;
  readonly #compiled: CompiledTrustPolicy;
  readonly #stateStore: StateStore;
  readonly #clock: () => number;
  readonly #memo: LRUCache<string, MemoEntry>;
  readonly #locks = new Map<string, Promise<unknown>>();

  static {
    // Pool-side bulk verification (`prewarm(ids, { pool: true })`): the only way in.
    registerMemoHooks({
      prime: (policy, template, sentDocument, verdict) =>
        policy instanceof TrustPolicy && policy.#prime(template, sentDocument, verdict),
      validUntil: (policy, template) =>
        policy instanceof TrustPolicy ? policy.#memo.get(memoKeyOf(template))?.validUntilMs : undefined,
    });
  }

  /** Admits a worker's verdict only for the digest recomputed here, under this very document. */
  #prime(template: AgentTemplate, sentDocument: TrustPolicyDocument, verdict: WorkerVerdict): boolean {
    if (sentDocument !== this.document || !this.#compiled.requireSignatures) return false;
    let digest: TemplateDigest;
    try {
      digest = digestOfBytes(canonicalTemplateBytes(template));
    } catch {
      return false;
    }
    if (digest !== verdict.digest || !Array.isArray(verdict.keyIds) || verdict.keyIds.length === 0) return false;
    const entries: readonly unknown[] = Array.isArray(template.signatures) ? template.signatures : [];
    // Kid → latest `exp` among the template's own signatures by that key (Infinity: none).
    const signedBy = new Map<unknown, number>();
    for (const entry of entries) {
      const header = decodeHeader((entry as { protected?: unknown } | null)?.protected);
      if (header === undefined) continue;
      const expMs = typeof header.exp === "number" ? header.exp * 1000 : Number.POSITIVE_INFINITY;
      signedBy.set(header.kid, Math.max(signedBy.get(header.kid) ?? expMs, expMs));
    }
    let validUntilMs = typeof verdict.validUntilMs === "number" ? verdict.validUntilMs : Number.NaN;
    for (const kid of verdict.keyIds) {
      const key = this.#compiled.keys.get(kid);
      const expMs = signedBy.get(kid);
      if (key === undefined || key.revoked || expMs === undefined) return false;
      validUntilMs = Math.min(validUntilMs, expMs, key.notAfterMs ?? Number.POSITIVE_INFINITY);
    }
    if (!(this.#clock() < validUntilMs)) return false;
    this.#memo.set(memoKeyOf(template, digest), { keyIds: [...verdict.keyIds], validUntilMs });
    return true;
  }

  /** Use {@link trustPolicy} or {@link loadTrustPolicy}. @internal */
  constructor(compiled: CompiledTrustPolicy, options: TrustPolicyOptions = {}) {
    if (options.clock !== undefined && typeof options.clock !== "function")
      throw new OptionsError("options.clock", "must be a function returning milliseconds");
    const memoMaxEntries = options.memoMaxEntries ?? 10_000;
    if (!Number.isInteger(memoMaxEntries) || memoMaxEntries < 1)
      throw new OptionsError("options.memoMaxEntries", "must be an integer ≥ 1");
    this.#compiled = compiled;
    this.document = compiled.document;
    this.#stateStore = options.stateStore ?? memoryStateStore();
    this.#clock = options.clock ?? Date.now;
    this.#memo = new LRUCache({ max: memoMaxEntries });
    if (!compiled.requireSignatures) warnSignaturesNotRequired();
  }

  /** Whether unsigned templates are refused. */
  get requireSignatures(): boolean {
    return this.#compiled.requireSignatures;
  }

  /** The earliest `notAfter` among non-revoked keys (for health checks), if any key has one. */
  get earliestKeyExpiry(): Date | undefined {
    const times = [...this.#compiled.keys.values()]
      .filter((key) => !key.revoked && key.notAfterMs !== undefined)
      .map((key) => key.notAfterMs as number);
    return times.length === 0 ? undefined : new Date(Math.min(...times));
  }

  /** A policy with the same rules and keys but another state store or clock (and a fresh memo). */
  withOptions(options: TrustPolicyOptions): TrustPolicy {
    return new TrustPolicy(this.#compiled, { stateStore: this.#stateStore, clock: this.#clock, ...options });
  }

  /**
   * Verifies `template` against the policy and the rollback state. Resolves with the
   * digest and the key ids that counted; rejects with a `SignatureError`.
   */
  async verify(template: AgentTemplate, options: VerifyOptions = {}): Promise<VerifiedTemplate> {
    let bytes: Uint8Array;
    try {
      bytes = canonicalTemplateBytes(template);
    } catch (error) {
      const refusal = new SignatureError("malformed", "template has no canonical form, so nothing can have signed it", {
        templateId: template?.id,
        version: template?.version,
        cause: error,
      });
      this.#audit(template, undefined, [], "refused", refusal.reason);
      throw refusal;
    }
    const digest = digestOfBytes(bytes);
    const entries: readonly unknown[] = Array.isArray(template.signatures) ? template.signatures : [];
    const context = (): TrustVerifyContext => ({
      templateId: String(template.id),
      version: String(template.version),
      digest,
      keyIds: [],
    });
    return traced(tracing.trustVerify, context, async (traceContext) => {
      try {
        const verified = await this.#verify(template, digest, bytes, entries, options);
        if (traceContext) {
          const keyExpiries: Record<string, number> = {};
          for (const kid of verified.keyIds) {
            const notAfterMs = this.#compiled.keys.get(kid)?.notAfterMs;
            if (notAfterMs !== undefined) keyExpiries[kid] = notAfterMs;
          }
          Object.assign(traceContext, {
            keyIds: verified.keyIds,
            memoized: verified.memoized,
            verdict: "accepted",
            keyExpiries,
          });
        }
        this.#audit(template, digest, verified.keyIds, "accepted");
        return verified;
      } catch (error) {
        const reason = error instanceof SignatureError ? error.reason : NextGenError.is(error) ? error.code : "error";
        if (traceContext) Object.assign(traceContext, { verdict: "refused", reason });
        this.#audit(template, digest, [], "refused", reason);
        throw error;
      }
    });
  }

  #audit(
    template: AgentTemplate,
    digest: TemplateDigest | undefined,
    keyIds: string[],
    verdict: string,
    reason?: string,
  ): void {
    publish(plain.audit, () => ({
      type: "trust.verify",
      time: this.#clock(),
      templateId: template?.id,
      version: template?.version,
      ...(digest === undefined ? {} : { digest }),
      keyIds,
      verdict,
      ...(reason === undefined ? {} : { reason }),
    }));
  }

  async #verify(
    template: AgentTemplate,
    digest: TemplateDigest,
    bytes: Uint8Array,
    entries: readonly unknown[],
    options: VerifyOptions,
  ): Promise<VerifiedTemplate> {
    options.signal?.throwIfAborted();
    const subject = { templateId: template.id, version: template.version };
    if (typeof template.id !== "string" || typeof template.version !== "string") {
      throw new SignatureError("malformed", "template has no string id and version to verify", subject);
    }
    // Without signatures nothing is authentic, so high-water marks would protect nothing:
    // whoever can write a template can also raise its version. Opting out skips both.
    if (!this.#compiled.requireSignatures) return { digest, keyIds: [], memoized: false };
    let keyIds: string[] = [];
    let memoized = false;
    let validUntilMs = Number.POSITIVE_INFINITY;
    const now = this.#clock();
    const memoKey = memoKeyOf(template, digest);
    const remembered = this.#memo.get(memoKey);
    if (remembered !== undefined && now < remembered.validUntilMs) {
      keyIds = remembered.keyIds;
      validUntilMs = remembered.validUntilMs;
      memoized = true;
    } else {
      if (entries.length === 0)
        throw new SignatureError(
          "missing",
          `${template.id}@${template.version} is not signed; sign it with a key the trust policy lists (nextgen sign <file> --key <pem> --kid <kid>)`,
          subject,
        );
      const evaluation: SignatureEvaluation = await evaluateSignatures(
        this.#compiled,
        template.id,
        entries,
        base64url(bytes),
        now,
      );
      this.#cryptoOperations += evaluation.cryptoOperations;
      if (evaluation.counted.length < evaluation.threshold) throw refusalFor(template, evaluation);
      keyIds = evaluation.counted;
      validUntilMs = evaluation.validUntilMs;
      this.#memo.set(memoKey, { keyIds, validUntilMs });
    }
    await this.#serialised(template.id, () => checkRollback(this.#stateStore, template, digest));
    return Number.isFinite(validUntilMs)
      ? { digest, keyIds: [...keyIds], memoized, validUntilMs }
      : { digest, keyIds: [...keyIds], memoized };
  }

  /** Runs rollback checks of one id one at a time, so two concurrent verifications cannot both raise the mark. */
  async #serialised<T>(templateId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(templateId) ?? Promise.resolve();
    const current = previous.then(task, task);
    const settled = current.catch(() => {});
    this.#locks.set(templateId, settled);
    try {
      return await current;
    } finally {
      if (this.#locks.get(templateId) === settled) this.#locks.delete(templateId);
    }
  }
}

/** A signature's protected header as JSON, or undefined. */
function decodeHeader(encoded: unknown): { kid?: unknown; exp?: unknown } | undefined {
  const bytes = typeof encoded === "string" ? fromBase64url(encoded) : undefined;
  if (bytes === undefined) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(bytes).toString("utf8"));
    return typeof header === "object" && header !== null ? (header as { kid?: unknown; exp?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/** The memo's key: the digest and the exact signature set. */
function memoKeyOf(template: AgentTemplate, digest?: TemplateDigest): string {
  const entries: readonly unknown[] = Array.isArray(template.signatures) ? template.signatures : [];
  return `${digest ?? digestOfBytes(canonicalTemplateBytes(template))}\n${JSON.stringify(entries)}`;
}

/**
 * Builds a trust policy from a `trust.json` document (already parsed). Throws
 * `NG_ERR_TRUST_POLICY_INVALID` listing every problem. Without a `stateStore`,
 * rollback marks live in memory only.
 *
 * @example
 * ```ts
 * const policy = trustPolicy({ version: 1, keys: [publicJwk], defaultThreshold: 1 }, { stateStore: fileStateStore("state.json") });
 * const factory = createAgentFactory({ source, trust: policy, kinds });
 * ```
 */
export function trustPolicy(document: TrustPolicyDocument, options: TrustPolicyOptions = {}): TrustPolicy {
  return new TrustPolicy(compileTrustPolicy(document), options);
}
