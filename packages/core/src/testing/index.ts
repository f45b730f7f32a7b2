// Public API of @nextgen/core/testing, listed by name: the conformance suites every
// implementation of a core contract runs (as unstorage's `testDriver`), with their fixtures.

// Cache tiers.

export type { CacheTierSuiteOptions, CacheTierTestContext } from "./cache-tier-suite.js";
export { testCacheTier } from "./cache-tier-suite.js";

// Signers.

export type { SignerUnderTest } from "./signer-suite.js";
export { testSigner } from "./signer-suite.js";

// Trust state stores.

export type { StateStoreSuiteOptions, StateStoreTestContext } from "./state-store-suite.js";
export { testStateStore } from "./state-store-suite.js";

// Template sources.

export type { MakeTemplateSource } from "./template-source-suite.js";
export { testTemplateSource } from "./template-source-suite.js";
