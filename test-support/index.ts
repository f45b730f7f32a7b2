// Helpers shared by the tests of every package (imported as `@nextgen/test-support`, an alias
// of vitest.config.ts and tsconfig.json). Not a package: never built, never published.

export { flipByte } from "./flip-byte.js";
export type { UntilOptions } from "./until.js";
export { until } from "./until.js";
