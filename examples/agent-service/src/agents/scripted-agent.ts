import { Agent, type RunContext } from "@nextgen/core";
import type { Finding } from "../tools/sample-tools.js";

/** What an agent of the service answers (the shape `@nextgen/ai` agents answer too). */
export interface AgentAnswer {
  text: string;
  output: { findings: Finding[] };
  steps: number;
  toolCalls: { toolName: string; findings: number }[];
  finishReason: "stop";
}

/** A step of a streamed run. */
export interface AgentStep {
  step: number;
  toolName: string;
  findings: number;
}

/**
 * The scripted model, as a core `Agent` kind while `@nextgen/ai` is not available: it
 * calls every tool its template grants (and only those, through `context.tools`) on the
 * input, one step per tool, each step taking `latencyMs`, and answers with the findings.
 * Deterministic and offline, for development, tests and benchmarks.
 */
export class ScriptedAgent extends Agent<unknown, AgentAnswer> {
  /** Per-step latency of the scripted model, in milliseconds (set by the seam). */
  static latencyMs = 0;
  /** Called after each step (streaming). */
  onStep: ((step: AgentStep) => void) | undefined;

  protected async execute(input: unknown, context: RunContext): Promise<AgentAnswer> {
    const text = typeof input === "string" ? input : JSON.stringify(input ?? null);
    const latencyMs = (this.constructor as typeof ScriptedAgent).latencyMs;
    const findings: Finding[] = [];
    const toolCalls: AgentAnswer["toolCalls"] = [];
    for (const toolName of context.tools.names) {
      if (latencyMs > 0) await sleep(latencyMs, context.signal);
      context.signal.throwIfAborted();
      const found = (await context.tools.call(toolName, text, { signal: context.signal })) as Finding[];
      findings.push(...found);
      toolCalls.push({ toolName, findings: found.length });
      this.onStep?.({ step: toolCalls.length, toolName, findings: found.length });
    }
    const worst = findings.find((finding) => finding.severity === "critical") ?? findings[0];
    return {
      text: `${this.template.name}: ${findings.length} finding(s)${worst ? `, worst: ${worst.message}` : ""}.`,
      output: { findings },
      steps: toolCalls.length,
      toolCalls,
      finishReason: "stop",
    };
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
