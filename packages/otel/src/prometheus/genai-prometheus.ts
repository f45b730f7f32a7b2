import type { AuditEvent, GenAiModelCallContext, GenAiToolCallContext } from "@nextgen/core";
import { AUDIT_CHANNEL, GENAI_MODEL_CALL_CHANNEL, GENAI_TOOL_CALL_CHANNEL, OptionsError } from "@nextgen/core";
import { Counter, register as globalRegistry, type Registry } from "prom-client";
import { subscribePlain, subscribeTrace } from "../channels/subscribe-trace.js";

/** Options of {@link registerGenAiPrometheusMetrics}. */
export interface GenAiPrometheusOptions {
  /** The prom-client `Registry` the host owns and serves (never the global one). */
  registry: Registry;
  /**
   * Prefix of every metric name.
   * @default "nextgen_"
   */
  prefix?: string;
}

/** What {@link registerGenAiPrometheusMetrics} returns. */
export interface GenAiPrometheusMetrics {
  /** Unsubscribes and removes the metrics from the registry. Idempotent. */
  close(): void;
}

/**
 * The Prometheus counterparts of the GenAI telemetry: `nextgen_genai_tokens_total{template_id,
 * model, type}` (tokens by template and model), `nextgen_genai_tool_calls_total{tool, outcome}`
 * (`ok`, `error`, `refused`) and `nextgen_tool_calls_refused_total{reason}` (every refused
 * tool call from `nextgen:audit`, whichever kind made it: ungranted, invalid arguments, pin
 * mismatch). Prompt and completion content is never a label.
 *
 * @example
 * ```ts
 * import { Registry } from "prom-client";
 * import { registerGenAiPrometheusMetrics } from "@nextgen/otel/prometheus";
 *
 * const registry = new Registry();
 * const genai = registerGenAiPrometheusMetrics({ registry });
 * // … agents run …
 * genai.close();
 * ```
 */
export function registerGenAiPrometheusMetrics(options: GenAiPrometheusOptions): GenAiPrometheusMetrics {
  const registry = options?.registry;
  if (registry === undefined || typeof registry?.registerMetric !== "function") {
    throw new OptionsError("options.registry", "must be a prom-client Registry");
  }
  if (registry === globalRegistry) {
    throw new OptionsError("options.registry", "must be your own Registry, not prom-client's global register");
  }
  const prefix = options.prefix ?? "nextgen_";
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) throw new OptionsError("options.prefix", "must start a metric name");
  const tokens = new Counter({
    name: `${prefix}genai_tokens_total`,
    help: "Tokens used by model calls, by template, model and token type.",
    labelNames: ["template_id", "model", "type"],
    registers: [registry],
  });
  const toolCalls = new Counter({
    name: `${prefix}genai_tool_calls_total`,
    help: "Tool calls models asked for, by tool and outcome (ok, error, refused).",
    labelNames: ["tool", "outcome"],
    registers: [registry],
  });
  const refused = new Counter({
    name: `${prefix}tool_calls_refused_total`,
    help: "Tool calls refused before the tool ran (ungranted, invalid arguments, pin mismatch), by reason.",
    labelNames: ["reason"],
    registers: [registry],
  });
  const offs = [
    subscribeTrace<GenAiModelCallContext>(GENAI_MODEL_CALL_CHANNEL, {
      finish: (context) => {
        const labels = { template_id: context.templateId, model: context.model };
        if (context.inputTokens !== undefined) tokens.inc({ ...labels, type: "input" }, context.inputTokens);
        if (context.outputTokens !== undefined) tokens.inc({ ...labels, type: "output" }, context.outputTokens);
      },
    }),
    subscribeTrace<GenAiToolCallContext>(GENAI_TOOL_CALL_CHANNEL, {
      finish: (context) => toolCalls.inc({ tool: context.toolName, outcome: context.outcome ?? "error" }),
    }),
    subscribePlain<AuditEvent>(AUDIT_CHANNEL, (event) => {
      if (event.type === "tool.call" && event.verdict === "refused") refused.inc({ reason: event.reason ?? "unknown" });
    }),
  ];
  let open = true;
  return {
    close: () => {
      if (!open) return;
      open = false;
      for (const off of offs) off();
      for (const name of ["genai_tokens_total", "genai_tool_calls_total", "tool_calls_refused_total"]) {
        registry.removeSingleMetric(`${prefix}${name}`);
      }
    },
  };
}
