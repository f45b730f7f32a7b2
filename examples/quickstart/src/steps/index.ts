import type { QuickstartStep } from "../context.js";
import { backupStep } from "./backup.js";
import { cacheStep } from "./cache.js";
import { compressionStep } from "./compression.js";
import { factoryStep } from "./factory.js";
import { otelStep } from "./otel.js";
import { poolStep } from "./pool.js";
import { trustStep } from "./trust.js";

/** The demo's sections, in order. Each lives in its own file. */
export const steps: QuickstartStep[] = [
  factoryStep,
  trustStep,
  compressionStep,
  cacheStep,
  poolStep,
  otelStep,
  backupStep,
];
