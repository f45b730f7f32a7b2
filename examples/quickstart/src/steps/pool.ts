import { createAgentFactory } from "@nextgen/core";
import { workerKind } from "@nextgen/core/pool";
import type { QuickstartStep } from "../context.js";
import { factoryShared } from "../shared.js";
import { renderTable } from "../table.js";
import type { FileComplexity } from "../workers/complexity.js";

// Built output runs dist/workers/complexity.js; tests run the TypeScript source.
const extension = import.meta.url.endsWith(".ts") ? "ts" : "js";

/**
 * Runs the performance auditor as a worker-backed agent: each file of the sample change
 * is analysed in a worker thread, with the template's timeout and retries, on the
 * factory's pool (shared by every worker-backed kind), then prints the pool's part of
 * `factory.health()`.
 */
export const poolStep: QuickstartStep = async (context) => {
  context.heading("Worker pool: agents whose runs execute in worker threads");
  const shared = factoryShared(context);
  const ComplexityAgent = workerKind<{ file: (typeof shared.task.files)[number] }, FileComplexity>(
    new URL(`../workers/complexity.${extension}`, import.meta.url),
  );
  // The factory creates the pool on the first worker run and closes it in factory.close().
  const factory = createAgentFactory({
    ...shared.options,
    kinds: { analyzer: ComplexityAgent },
    pool: { minThreads: 1, maxThreads: "auto", name: "complexity" },
  });
  try {
    // One agent per file, all running at once: the pool spreads them over its threads.
    const results = await Promise.all(
      shared.task.files.map(async (file) => {
        const agent = await factory.create("performance/auditor", { kind: "analyzer" });
        return agent.run({ file });
      }),
    );
    console.log(
      renderTable(
        [
          { header: "file", cell: (row: FileComplexity) => row.path },
          { header: "lines", cell: (row) => String(row.lines), right: true },
          { header: "branches", cell: (row) => String(row.branches), right: true },
          { header: "fingerprint", cell: (row) => row.fingerprint },
          { header: "model", cell: (row) => row.model ?? "-" },
        ],
        results,
      ),
    );
    const pool = (await factory.health()).components.find((component) => component.name === "pool");
    const stats = (pool?.detail ?? {}) as { threads: number; completed: number; failed: number; waitMsP95: number };
    console.log(
      `pool "complexity": ${stats.threads} thread(s), ${stats.completed} completed, ${stats.failed} failed, ` +
        `wait p95 ${stats.waitMsP95.toFixed(2)} ms; health: ${pool?.status ?? "unknown"}`,
    );
  } finally {
    await factory.close();
  }
};
