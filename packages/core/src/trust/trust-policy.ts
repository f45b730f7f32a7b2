import { type Clock, wallClock } from "../clock/clock.js";
import { resolveClock } from "../clock/resolve-clock.js";
import type { TrustVerifyContext } from "../diagnostics/payloads.js";
import { plain, publish, traced, tracing } from "../diagnostics/publish.js";
import { OptionsError } from "../errors/options-error.js";
import { errorCode } from "../errors/uncoded-error.js";
import type { AgentTemplate, TemplateDigest } from "../template/types.js";
import { type CompiledTrustPolicy, compileTrustPolicy } from "./compile-trust-policy.js";
import { delegationFor } from "./evaluate-signatures.js";
import { judgeSignatures } from "./judge-signatures.js";
import { memoryStateStore } from "./memory-state-store.js";
import { checkRollback } from "./rollback-check.js";
import { SignatureError } from "./signature-error.js";
import type { StateStore } from "./state-store.js";
import { canonicalTemplateBytes, digestOfBytes } from "./template-bytes.js";
import type { TemplateVerifier, TrustHealth, VerifiedTemplate, VerifyOptions } from "./template-verifier.js";
import { trustHealth } from "./trust-health.js";
import type { TrustPolicyDocument } from "./trust-policy-document.js";
import { VerdictMemo } from "./verdict-memo.js";
import { noteVerifiedDigest } from "./verified-digest.js";
import { warnRollbackStateInMemory, warnSignaturesNotRequired } from "./warn-signatures-not-required.js";

/** Options of {@link trustPolicy} and {@link loadTrustPolicy}. */
export interface TrustPolicyOptions {
  /**
   * Where rollback high-water marks persist. Pass it to `trustPolicy(document)`: without
   * one, marks live in memory (lost on restart, so a restarted process accepts an older
   * version again) and a warning (`NG_WARN_ROLLBACK_STATE_IN_MEMORY`) is emitted once per
   * process; pass `memoryStateStore()` to choose memory on purpose, silently.
   * @default for `loadTrustPolicy(file)`, a `fileStateStore` at
   * `<file without .json>.state.json` beside the policy; for `trustPolicy`, memory (warned)
   */
  stateStore?: StateStore;
  /**
   * The wall clock (milliseconds since the Unix epoch) that key windows (`notBefore`,
   * `notAfter`), signature `exp` and health checks compare against: absolute instants, so
   * a wall clock, not a monotonic one. A value that is not a `Clock` throws
   * `NG_ERR_OPTIONS_INVALID` naming `options.clock`.
   * @default wallClock
   */
  clock?: Clock;
  /**
   * Verdicts remembered per digest and signature set, so a template verified once costs
   * no cryptography again.
   * @default 10000
   */
  memoMaxEntries?: number;
  /**
   * Most bytes the verdict memo holds (its keys and the signatures that counted), so
   * that no stream of distinct templates can grow it without bound.
   * @default 8388608 (8 MiB)
   */
  memoMaxBytes?: number;
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
  readonly #clock: Clock;
  readonly #memo: VerdictMemo;
  readonly #locks = new Map<string, Promise<unknown>>();

  /** Use {@link trustPolicy} or {@link loadTrustPolicy}. @internal */
  constructor(compiled: CompiledTrustPolicy, options: TrustPolicyOptions = {}) {
    const clock = resolveClock(options.clock, "options.clock", wallClock);
    const memoMaxEntries = options.memoMaxEntries ?? 10_000;
    if (!Number.isInteger(memoMaxEntries) || memoMaxEntries < 1)
      throw new OptionsError("options.memoMaxEntries", "must be an integer ≥ 1");
    const memoMaxBytes = options.memoMaxBytes ?? 8 * 1024 * 1024;
    if (!Number.isInteger(memoMaxBytes) || memoMaxBytes < 1024)
      throw new OptionsError("options.memoMaxBytes", "must be an integer ≥ 1024");
    this.#compiled = compiled;
    this.document = compiled.document;
    this.#stateStore = options.stateStore ?? memoryStateStore();
    this.#clock = clock;
    this.#memo = new VerdictMemo(memoMaxEntries, memoMaxBytes);
    if (!compiled.requireSignatures) warnSignaturesNotRequired();
  }

  /**
   * Fields a create-time override may change (the document's `overridable`, or
   * `config.temperature`, `config.maxTokens`, `config.timeoutMs`).
   */
  get overridable(): readonly string[] {
    return this.#compiled.overridable;
  }

  /** Bytes the verdict memo holds now (bounded by `memoMaxBytes`). */
  get memoBytes(): number {
    return this.#memo.bytes;
  }

  /** The rollback state store. */
  get stateStore(): StateStore {
    return this.#stateStore;
  }

  /**
   * The trust component of `factory.health()`: unhealthy when the state store cannot be
   * written (every new version would be refused) or a root key has expired; degraded when
   * a root key expires within `warnWithinMs` (default 30 days).
   */
  health(options: { signal?: AbortSignal; warnWithinMs?: number } = {}): Promise<TrustHealth> {
    return trustHealth(this.#compiled, this.#stateStore, this.#clock.now(), options);
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
        noteVerifiedDigest(template, digest);
        return verified;
      } catch (error) {
        const reason = error instanceof SignatureError ? error.reason : errorCode(error);
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
      time: this.#clock.now(),
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
    const now = this.#clock.now();
    const own = await this.#judge(template, template.id, digest, bytes, entries, now);
    const governingId = options.governingId;
    if (governingId !== undefined && governingId !== template.id) {
      // A parent of an `extends` chain shapes the leaf's agent, so it must also satisfy the
      // delegation that governs the leaf (keys and threshold), not only its own.
      if (delegationFor(this.#compiled, governingId) !== delegationFor(this.#compiled, template.id)) {
        try {
          await this.#judge(template, governingId, digest, bytes, entries, now);
        } catch (error) {
          if (!(error instanceof SignatureError)) throw error;
          throw new SignatureError(
            "chain-not-delegated",
            `${template.id}@${template.version} is extended by ${governingId}, so it must satisfy ${governingId}'s delegation too: ${error.message}`,
            { ...subject, entries: [...error.entries], cause: error },
          );
        }
      }
    }
    await this.#serialised(template.id, () => checkRollback(this.#stateStore, template, digest));
    const validUntilMs = own.validUntilMs;
    return Number.isFinite(validUntilMs)
      ? { digest, keyIds: [...own.keyIds], memoized: own.memoized, validUntilMs }
      : { digest, keyIds: [...own.keyIds], memoized: own.memoized };
  }

  /** The signatures of `template` judged under the delegation of `governingId` (memoized). */
  async #judge(
    template: AgentTemplate,
    governingId: string,
    digest: TemplateDigest,
    bytes: Uint8Array,
    entries: readonly unknown[],
    now: number,
  ): Promise<{ keyIds: readonly string[]; memoized: boolean; validUntilMs: number }> {
    return judgeSignatures(
      this.#compiled,
      this.#memo,
      { template, governingId, digest, bytes, entries, now },
      (operations) => {
        this.#cryptoOperations += operations;
      },
    );
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

/**
 * Builds a trust policy from a `trust.json` document (already parsed). Throws
 * `NG_ERR_TRUST_POLICY_INVALID` listing every problem. Pass a `stateStore`: without
 * one, rollback marks live in memory only (lost on restart) and the process is warned
 * once (`NG_WARN_ROLLBACK_STATE_IN_MEMORY`); `memoryStateStore()` chooses memory silently.
 *
 * @example
 * ```ts
 * const policy = trustPolicy({ version: 1, keys: [publicJwk], defaultThreshold: 1 }, { stateStore: fileStateStore("state.json") });
 * const factory = createAgentFactory({ source, trust: policy, kinds });
 * ```
 */
export function trustPolicy(document: TrustPolicyDocument, options: TrustPolicyOptions = {}): TrustPolicy {
  const compiled = compileTrustPolicy(document);
  if (options.stateStore === undefined && compiled.requireSignatures) warnRollbackStateInMemory();
  return new TrustPolicy(compiled, options);
}
