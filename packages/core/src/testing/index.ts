// Public API of @nextgen/core/testing: conformance suites and fixtures, listed by name.
export {};
// Template sources (factory engineer)
export type { MakeTemplateSource } from "./template-source-suite.js";
export { testTemplateSource } from "./template-source-suite.js";
