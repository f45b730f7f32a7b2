// `@nextgen/core/internal`: helpers that sibling @nextgen packages share with core so that a
// rule (a security check, an atomic write) is written once. Not part of the public API: no
// semver promise, not in the API docs; applications import `@nextgen/core` instead.
// Listed by name, like every entry point.
export type { Clock } from "./clock/clock.js";
export { monotonicClock, wallClock } from "./clock/clock.js";
export { resolveClock } from "./clock/resolve-clock.js";
export { syncDirectory } from "./fs/sync-directory.js";
export type { WriteFileAtomicOptions } from "./fs/write-file-atomic.js";
export { PARTIAL_FILE, writeFileAtomic } from "./fs/write-file-atomic.js";
export type { TemplateIdentity } from "./source/identity-mismatch.js";
export { identityMismatch } from "./source/identity-mismatch.js";
export { advancesMark } from "./trust/advance-mark.js";
