// Public API of @nextgen/core/pool, listed by name.
export {};
