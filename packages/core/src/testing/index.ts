// Public API of @nextgen/core/testing: conformance suites and fixtures, listed by name.
export {};
