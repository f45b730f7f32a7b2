import { createAgentFactory, directorySource, NextGenError } from "@nextgen/core";
import type { QuickstartStep } from "../context.js";
import type { Summary } from "../kinds/coordinator-agent.js";
import { CoordinatorAgent, type Report, sampleKinds } from "../kinds/index.js";
import { sampleTask } from "../sample-task.js";
import { FACTORY_SHARED, type FactoryShared, signingShared } from "../shared.js";
import { renderTable } from "../table.js";
import { sampleTools, sandboxedToolRegistry } from "../tools/index.js";

const WARM_CREATES = 1_000;

/** One line of the factory table. */
export interface FactoryRow {
  template: string;
  version: string;
  kind: string;
  digest: string;
  coldMicros: number;
  warmMicros: number;
  result: string;
}

function describeResult(result: unknown): string {
  const value = result as Partial<Report & { verdict: string; score: number; changelog: string }> & Partial<Summary>;
  if (value.reports !== undefined) {
    return `${value.findings!.length} distinct findings${value.blocked ? ", merge blocked" : ""}`;
  }
  const count = `${value.findings!.length} finding(s)`;
  if (value.verdict !== undefined) return `${value.verdict} (${count})`;
  if (value.score !== undefined) return `score ${value.score} (${count})`;
  return count;
}

/**
 * Loads the signed sample templates from disk, creates one agent per template version
 * (cold: parse, verify the signatures of the whole `extends` chain, resolve, tool check;
 * then warm: cached), runs the sample review on each and the coordinator on their
 * reports, and prints what happened.
 */
export const factoryStep: QuickstartStep = async (context) => {
  context.heading("Factory: signed JSON templates → verified, typed agents");
  const { signedDir, trust } = signingShared(context);
  // diff-stats, granted by every specialist through base/specialist, runs as a WASI module.
  const { tools, diffStats } = await sandboxedToolRegistry();
  const options = { source: directorySource(signedDir), trust, kinds: sampleKinds, tools };
  const shared: FactoryShared = {
    kinds: sampleKinds,
    tools,
    sandboxed: diffStats,
    toolImplementations: sampleTools,
    options,
    task: sampleTask,
  };
  context.shared.set(FACTORY_SHARED, shared);

  const factory = createAgentFactory(options);
  // Lowest version first: the policy refuses a version below one it already accepted (rollback).
  const refs = await options.source.list();
  const rows: FactoryRow[] = [];
  const reports: Report[] = [];
  let coordinator: { row: FactoryRow; agent: CoordinatorAgent } | undefined;
  try {
    for (const ref of refs) {
      const started = performance.now();
      const agent = await factory.create(ref.id, { version: ref.version });
      const coldMicros = (performance.now() - started) * 1_000;
      const warmStarted = performance.now();
      for (let index = 0; index < WARM_CREATES; index++) await factory.create(ref.id, { version: ref.version });
      const warmMicros = ((performance.now() - warmStarted) * 1_000) / WARM_CREATES;
      const row: FactoryRow = {
        template: ref.id,
        version: agent.template.version,
        kind: agent.kind,
        digest: agent.template.digest.slice(0, 19),
        coldMicros,
        warmMicros,
        result: "",
      };
      rows.push(row);
      if (agent instanceof CoordinatorAgent) {
        coordinator = { row, agent };
        continue;
      }
      const report = (await agent.run(sampleTask)) as Report;
      reports.push(report);
      row.result = describeResult(report);
      await agent.dispose();
    }
    let summary: Summary | undefined;
    if (coordinator) {
      summary = await coordinator.agent.run(reports);
      coordinator.row.result = describeResult(summary);
      await coordinator.agent.dispose();
    }

    console.log(
      renderTable<FactoryRow>(
        [
          { header: "template", cell: (row) => row.template },
          { header: "version", cell: (row) => row.version },
          { header: "kind", cell: (row) => row.kind },
          { header: "digest", cell: (row) => `${row.digest}…` },
          { header: "cold µs", cell: (row) => row.coldMicros.toFixed(0), right: true },
          { header: "warm µs", cell: (row) => row.warmMicros.toFixed(2), right: true },
          { header: "result", cell: (row) => row.result },
        ],
        rows,
      ),
    );
    const kinds = new Set(rows.map((row) => row.kind));
    const warm = rows.map((row) => row.warmMicros).sort((a, b) => a - b);
    const median = warm[Math.floor(warm.length / 2)] ?? 0;
    console.log(
      `\n${rows.length} agents from ${rows.length} template versions, ${kinds.size} kinds; ` +
        `warm create median ${median.toFixed(2)} µs` +
        (summary
          ? `; coordinator: ${summary.findings.length} distinct findings, ${summary.bySeverity.critical} critical`
          : ""),
    );

    const sandboxedFindings = reports.flatMap((report) => report.findings).filter((f) => f.tool === "diff-stats");
    console.log(
      `diff-stats ran as a WebAssembly/WASI module in a pool worker for ${sandboxedFindings.length} agents ` +
        `(module ${diffStats.digest?.slice(0, 19)}…; no file system, empty environment, 2 MiB memory, 5 s)`,
    );

    // Default deny: a template naming a tool the host did not register never becomes an agent.
    const strict = createAgentFactory({ source: options.source, trust, kinds: sampleKinds });
    const refused = await strict.create("security/auditor").catch((error: unknown) => error);
    if (NextGenError.is(refused, "NG_ERR_TOOL_UNKNOWN")) {
      console.log(`same template, no tools registered: refused with ${refused.code}`);
    }
    await strict.close();
  } finally {
    await factory.close();
  }
};
