// `@nextgen/core/internal`: helpers that sibling @nextgen packages share with core so that a
// rule (a security check, an atomic write) is written once. Not part of the public API: no
// semver promise, not in the API docs; applications import `@nextgen/core` instead.
// Listed by name, like every entry point.
export type { Clock } from "./clock/clock.js";
export { monotonicClock, wallClock } from "./clock/clock.js";
export { resolveClock } from "./clock/resolve-clock.js";
