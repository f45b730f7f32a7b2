import { type ToolRegistry, toolRegistry } from "@nextgen/core";
import type { WasiTool } from "@nextgen/core/pool";
import type { Finding, ReviewTask } from "../review-task.js";
import { complexity } from "./complexity.js";
import { coverageGap } from "./coverage-gap.js";
import { dependencyAudit } from "./dependency-audit.js";
import { diffStats } from "./diff-stats.js";
import { wasiDiffStats } from "./diff-stats-wasi.js";
import { licenseCheck } from "./license-check.js";
import { perfLint } from "./perf-lint.js";
import { piiScan } from "./pii-scan.js";
import { secretScan } from "./secret-scan.js";
import { styleCheck } from "./style-check.js";

/** A sample tool: reads the review task, returns findings. */
export type SampleTool = (task: ReviewTask) => Finding[];

/** Every tool the sample templates name: deterministic, offline implementations. */
export const sampleTools: Readonly<Record<string, SampleTool>> = {
  "secret-scan": secretScan,
  "dependency-audit": dependencyAudit,
  "license-check": licenseCheck,
  "pii-scan": piiScan,
  "perf-lint": perfLint,
  complexity: complexity,
  "style-check": styleCheck,
  "coverage-gap": coverageGap,
  "diff-stats": diffStats,
};

/** The registry the quickstart's factories use: exactly the sample tools. */
export function sampleToolRegistry(): ToolRegistry {
  return toolRegistry(sampleTools);
}

/**
 * The sample tools with `diff-stats` run as a sandboxed WebAssembly/WASI module instead of
 * in-process JavaScript: same name, same findings, but a pool worker, no file system, no
 * environment, bounded memory and time. Close `diffStats` when done.
 */
export async function sandboxedToolRegistry(): Promise<{ tools: ToolRegistry; diffStats: WasiTool }> {
  const diffStats = await wasiDiffStats();
  const { "diff-stats": _inProcess, ...others } = sampleTools;
  return { tools: toolRegistry({ ...others, "diff-stats": diffStats }), diffStats };
}
