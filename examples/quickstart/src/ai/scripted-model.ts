import type { LanguageModelV4 } from "@ai-sdk/provider";
import { type ScriptedToolResult, scriptedModel as sharedScriptedModel } from "@nextgen/ai/testing";

/** How the demo labels the built-in model in its output. */
export const SCRIPTED_MODEL_LABEL = "scripted (built-in, deterministic: no network, no API key)";

/** A reviewer's summary: text results are auditor reports it merges, array items its own findings. */
function summarize(results: readonly ScriptedToolResult[]): string {
  const reports = results.filter(({ output }) => typeof output === "string").length;
  const bySeverity = new Map<string, number>();
  for (const { output } of results) {
    if (!Array.isArray(output)) continue;
    for (const item of output) {
      const severity = String((item as { severity?: unknown } | null)?.severity);
      bySeverity.set(severity, (bySeverity.get(severity) ?? 0) + 1);
    }
  }
  const findings = [...bySeverity.values()].reduce((sum, count) => sum + count, 0);
  const severities = [...bySeverity].map(([severity, count]) => `${count} ${severity}`).join(", ");
  const merged = reports > 0 ? `Merged ${reports} auditor report(s); ` : "";
  return findings === 0 && reports === 0
    ? "No findings: the change can merge."
    : `${merged}${findings} finding(s) of my own${severities ? ` (${severities})` : ""}.`;
}

/**
 * The demo's offline model, so `npm start` runs the agents as model-driven agents without a
 * network: `@nextgen/ai/testing`'s scripted model, which calls every tool it is offered
 * (delegations with the review task), then merges what the tools returned.
 *
 * @example
 * ```ts
 * const model = scriptedModel();
 * const models = modelRegistry({ fast: model, reasoning: model });
 * ```
 */
export function scriptedModel(): LanguageModelV4 {
  return sharedScriptedModel({
    modelId: "scripted-reviewer",
    toolInput: (toolName) =>
      toolName.startsWith("delegate_") ? { task: "Audit the change set under review and report your findings." } : {},
    answer: summarize,
  });
}
