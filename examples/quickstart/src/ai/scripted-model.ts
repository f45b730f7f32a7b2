import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4Content } from "@ai-sdk/provider";

/** How the demo labels the built-in model in its output. */
export const SCRIPTED_MODEL_LABEL = "scripted (built-in, deterministic: no network, no API key)";

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: output, text: output, reasoning: undefined },
});

/** Findings a tool result reported, read back from the conversation. */
function findingsIn(prompt: LanguageModelV4CallOptions["prompt"]): { tool: string; severity: string }[] {
  const found: { tool: string; severity: string }[] = [];
  for (const message of prompt) {
    if (message.role !== "tool") continue;
    for (const part of message.content) {
      if (part.type !== "tool-result") continue;
      if (part.output.type === "text") {
        found.push({ tool: part.toolName, severity: "report" });
        continue;
      }
      if (part.output.type !== "json") continue;
      const value = part.output.value;
      if (Array.isArray(value)) {
        for (const item of value)
          found.push({ tool: part.toolName, severity: String((item as { severity?: unknown }).severity) });
      } else if (typeof value === "string") found.push({ tool: part.toolName, severity: "report" });
    }
  }
  return found;
}

/**
 * A deterministic stand-in for a real model, so `npm start` runs the agents as model-driven
 * agents offline: on the first step it calls every tool it is offered (delegations
 * included), then answers with a summary of what the tools returned. It sees exactly what a
 * real model would (instructions, tool definitions, tool results), through the same AI SDK
 * calls; only the "thinking" is scripted.
 */
export function scriptedModel(): LanguageModelV4 {
  const generate = async (options: LanguageModelV4CallOptions) => {
    const asked = options.prompt.some((message) => message.role === "tool");
    const tools = (options.tools ?? []).filter((tool) => tool.type === "function");
    const promptSize = JSON.stringify(options.prompt).length;
    if (!asked && tools.length > 0) {
      const content: LanguageModelV4Content[] = tools.map((tool, index) => ({
        type: "tool-call",
        toolCallId: `call_${index}`,
        toolName: tool.name,
        input: tool.name.startsWith("delegate_")
          ? JSON.stringify({ task: "Audit the change set under review and report your findings." })
          : "{}",
      }));
      return {
        content,
        finishReason: { unified: "tool-calls" as const, raw: "tool_calls" },
        usage: usage(Math.ceil(promptSize / 4), 12 * tools.length),
        warnings: [],
      };
    }
    const all = findingsIn(options.prompt);
    const reports = all.filter((finding) => finding.severity === "report").length;
    const findings = all.filter((finding) => finding.severity !== "report");
    const bySeverity = new Map<string, number>();
    for (const finding of findings) bySeverity.set(finding.severity, (bySeverity.get(finding.severity) ?? 0) + 1);
    const severities = [...bySeverity].map(([severity, count]) => `${count} ${severity}`).join(", ");
    const merged = reports > 0 ? `Merged ${reports} auditor report(s); ` : "";
    const text =
      findings.length === 0 && reports === 0
        ? "No findings: the change can merge."
        : `${merged}${findings.length} finding(s) of my own${severities ? ` (${severities})` : ""}.`;
    return {
      content: [{ type: "text" as const, text }],
      finishReason: { unified: "stop" as const, raw: "stop" },
      usage: usage(Math.ceil(promptSize / 4), Math.ceil(text.length / 4)),
      warnings: [],
    };
  };
  return {
    specificationVersion: "v4",
    provider: "scripted",
    modelId: "scripted-reviewer",
    supportedUrls: {},
    doGenerate: generate,
    doStream: async (options) => {
      const result = await generate(options);
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          for (const part of result.content) {
            if (part.type === "text") {
              controller.enqueue({ type: "text-start", id: "t" });
              controller.enqueue({ type: "text-delta", id: "t", delta: part.text });
              controller.enqueue({ type: "text-end", id: "t" });
            } else controller.enqueue(part);
          }
          controller.enqueue({ type: "finish", finishReason: result.finishReason, usage: result.usage });
          controller.close();
        },
      });
      return { stream };
    },
  };
}
