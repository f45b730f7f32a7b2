// `@nextgen/core/internal`: helpers that sibling @nextgen packages share with core so that a
// rule (a security check, an atomic write) is written once. Not part of the public API: no
// semver promise, not in the API docs; applications import `@nextgen/core` instead.
// Listed by name, like every entry point.

// Time: the default clocks behind every `clock` option.

export type { Clock } from "./clock/clock.js";
export { monotonicClock, wallClock } from "./clock/clock.js";

// Shared rules: clocks, atomic writes, template identity, rollback marks.

export { resolveClock } from "./clock/resolve-clock.js";
export { syncDirectory } from "./fs/sync-directory.js";
export type { WriteFileAtomicOptions } from "./fs/write-file-atomic.js";
export { PARTIAL_FILE, writeFileAtomic } from "./fs/write-file-atomic.js";
export type { TemplateIdentity } from "./source/identity-mismatch.js";
export { identityMismatch } from "./source/identity-mismatch.js";
export { advancesMark } from "./trust/advance-mark.js";

// GenAI diagnostics: @nextgen/ai publishes model and tool calls on core's channels.

export { traceModelCall, traceToolCall } from "./agent/genai-diagnostics.js";

// Templates and ids: the CLI and bench read template files the way sources do.

export { canonicalTemplateBytes } from "./canonical/template-digest.js";
export { isSemver } from "./source/semver-compare.js";
export type { TemplateFileName } from "./source/template-file-name.js";
export { parseTemplateFileName } from "./source/template-file-name.js";
export { DEFAULT_TEMPLATE_MAX_BYTES } from "./template/parse-template.js";
export { DEFAULT_MAX_STEPS } from "./template/schema-rules.js";

// Tool input checks: @nextgen/ai and @nextgen/mcp validate a model's arguments as core does.

export { jsonSchemaIssues, jsonSchemaProblems } from "./tools/json-schema-subset.js";
export { isStandardSchema } from "./tools/tool-definition.js";
export { validateToolInput } from "./tools/validate-tool-input.js";

// Trust: detached JWS (A2A cards, backup manifests), policy files, refusal reasons.

export type { SignDetachedOptions, VerifyDetachedOptions } from "./trust/detached-signatures.js";
export { signDetachedPayload, verifyDetachedPayload } from "./trust/detached-signatures.js";
export { SIGNATURE_ALGORITHMS } from "./trust/key-compatibility.js";
export { parseTrustJson } from "./trust/read-policy-file.js";
export { SIGNATURE_REASON_CODES } from "./trust/signature-error.js";
