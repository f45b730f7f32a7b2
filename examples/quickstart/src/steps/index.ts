import type { QuickstartStep } from "../context.js";
import { aiStep } from "./ai.js";
import { backupStep } from "./backup.js";
import { cacheStep } from "./cache.js";
import { compressionStep } from "./compression.js";
import { factoryStep } from "./factory.js";
import { interopStep } from "./interop.js";
import { otelStep } from "./otel.js";
import { poolStep } from "./pool.js";
import { signingStep } from "./signing.js";
import { trustStep } from "./trust.js";

/**
 * The demo's sections, in order. Each lives in its own file. Signing comes first: every
 * factory in the demo verifies signatures, none opts out.
 */
export const steps: QuickstartStep[] = [
  signingStep,
  factoryStep,
  aiStep,
  trustStep,
  compressionStep,
  cacheStep,
  poolStep,
  otelStep,
  backupStep,
  interopStep,
];
