let warned = false;

/** The `code` of the process warning emitted when a policy does not require signatures. */
export const SIGNATURES_NOT_REQUIRED_WARNING = "NG_WARN_SIGNATURES_NOT_REQUIRED" as const;

/** @internal Emits, once per process, the warning that unsigned templates are accepted. */
export function warnSignaturesNotRequired(): void {
  if (warned) return;
  warned = true;
  process.emitWarning(
    "A trust policy with requireSignatures: false accepts unsigned templates; anyone who can write a template can change an agent.",
    {
      type: "NextGenSecurityWarning",
      code: SIGNATURES_NOT_REQUIRED_WARNING,
    },
  );
}

let warnedState = false;

/**
 * The `code` of the process warning emitted when `trustPolicy(document)` keeps rollback marks in memory.
 *
 * @example
 * ```ts
 * process.on("warning", (warning) => {
 *   if ((warning as { code?: string }).code === ROLLBACK_STATE_IN_MEMORY_WARNING) logger.warn(warning.message);
 * });
 * ```
 */
export const ROLLBACK_STATE_IN_MEMORY_WARNING = "NG_WARN_ROLLBACK_STATE_IN_MEMORY" as const;

/** @internal Emits, once per process, the warning that rollback marks will not survive a restart. */
export function warnRollbackStateInMemory(): void {
  if (warnedState) return;
  warnedState = true;
  process.emitWarning(
    "trustPolicy(document) without a stateStore keeps rollback high-water marks in memory: after a restart an older signed version is accepted again. Pass { stateStore: fileStateStore(path) } (or redisStateStore), or { stateStore: memoryStateStore() } to choose memory on purpose.",
    { type: "NextGenSecurityWarning", code: ROLLBACK_STATE_IN_MEMORY_WARNING },
  );
}
