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
