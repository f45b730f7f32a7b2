// Public API of @nextgen/core/testing: conformance suites and fixtures, listed by name.
// Cache tiers (cache engineer)
export type { CacheTierSuiteOptions, CacheTierTestContext } from "./cache-tier-suite.js";
export { testCacheTier } from "./cache-tier-suite.js";
// Signers (trust engineer)
export type { SignerUnderTest } from "./signer-suite.js";
export { testSigner } from "./signer-suite.js";
// Trust state stores (scale-out engineer)
export type { StateStoreSuiteOptions, StateStoreTestContext } from "./state-store-suite.js";
export { testStateStore } from "./state-store-suite.js";
// Template sources (factory engineer)
export type { MakeTemplateSource } from "./template-source-suite.js";
export { testTemplateSource } from "./template-source-suite.js";
