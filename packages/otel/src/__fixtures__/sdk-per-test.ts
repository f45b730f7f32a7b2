import { afterEach, beforeEach } from "vitest";
import type { Instrumentation } from "../instrument.js";
import { createTestSdk, type TestSdk } from "./otel-sdk.js";

/** What {@link sdkPerTest} hands a test file. */
export interface SdkPerTest {
  /** This test's SDK: a fresh one before each test, shut down after it. */
  sdk: TestSdk;
  /** The instrumentation under test, if the test made one: closed after the test. */
  instrumentation: Instrumentation | undefined;
}

/**
 * Registers the hooks that give every test of the file its own SDK and close what it
 * instrumented: `const t = sdkPerTest();` at the top, then `t.instrumentation = instrument({
 * tracerProvider: t.sdk.tracerProvider })` inside a test.
 */
export function sdkPerTest(): SdkPerTest {
  const state: SdkPerTest = { sdk: createTestSdk(), instrumentation: undefined };
  beforeEach(() => {
    state.sdk = createTestSdk();
  });
  afterEach(async () => {
    state.instrumentation?.close();
    state.instrumentation = undefined;
    await state.sdk.shutdown();
  });
  return state;
}
