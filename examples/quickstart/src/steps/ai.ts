import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { type AiRunResult, aiAgentKind, type ModelRegistry, modelRegistry } from "@nextgen/ai";
import { createAgentFactory, directorySource } from "@nextgen/core";
import { modelToolRegistry } from "../ai/model-tools.js";
import { SCRIPTED_MODEL_LABEL, scriptedModel } from "../ai/scripted-model.js";
import type { QuickstartStep } from "../context.js";
import { sampleTask } from "../sample-task.js";
import { signingShared } from "../shared.js";
import { renderTable } from "../table.js";

/** One line of the model-driven agents table. */
export interface AiRow {
  template: string;
  model: string;
  steps: number;
  tools: number;
  delegations: string;
  tokens: number;
  answer: string;
}

/** The models the sample templates name (`fast`, `reasoning`) and how the output labels them. */
export function demoModels(env: NodeJS.ProcessEnv = process.env): { models: ModelRegistry; label: string } {
  const apiKey = env.OPENAI_API_KEY;
  if (apiKey === undefined || apiKey === "") {
    const model = scriptedModel();
    return { models: modelRegistry({ fast: model, reasoning: model }), label: SCRIPTED_MODEL_LABEL };
  }
  const baseURL = env.OPENAI_BASE_URL ?? "https://api.openai.com/v1";
  const provider = createOpenAICompatible({ name: "openai", baseURL, apiKey });
  const fast = env.OPENAI_MODEL_FAST ?? "gpt-4o-mini";
  const reasoning = env.OPENAI_MODEL ?? "gpt-4o";
  return {
    models: modelRegistry({ fast: provider.chatModel(fast), reasoning: provider.chatModel(reasoning) }),
    label: `${fast} (fast) and ${reasoning} (reasoning) at ${baseURL}`,
  };
}

const PROMPT = `Review this change set: "${sampleTask.title}". Use your tools, then report.`;

/**
 * Runs every sample agent as a model-driven agent (`aiAgentKind`): the signed template's
 * instructions are the system prompt, its model alias picks the model, its tools are
 * offered with their descriptions and schemas, and the coordinator delegates to the
 * auditors its template lists. Against the built-in scripted model unless
 * `OPENAI_API_KEY` is set.
 */
export const aiStep: QuickstartStep = async (context) => {
  context.heading("Model-driven agents: signed instructions, model, tools and delegation");
  const { signedDir, trust } = signingShared(context);
  const { models, label } = demoModels();
  console.log(`model: ${label}`);
  const kind = aiAgentKind({ models });
  const factory = createAgentFactory({
    source: directorySource(signedDir),
    trust,
    kinds: { specialist: kind, analyzer: kind, validator: kind, generalist: kind, coordinator: kind },
    tools: modelToolRegistry(sampleTask),
  });
  const rows: AiRow[] = [];
  try {
    const ids = [...new Set((await directorySource(signedDir).list()).map((ref) => ref.id))]
      .filter((id) => !id.startsWith("base/"))
      .sort(
        (a, b) => Number(a === "analysis/coordinator") - Number(b === "analysis/coordinator") || a.localeCompare(b),
      );
    for (const id of ids) {
      const agent = await factory.create(id);
      const result: AiRunResult = await agent.run(PROMPT);
      const delegated = result.toolCalls.filter((call) => call.delegate !== undefined);
      rows.push({
        template: id,
        model: agent.template.config.model ?? "default",
        steps: result.steps.length,
        tools: result.toolCalls.length - delegated.length,
        delegations: delegated.map((call) => call.delegate).join(", ") || "—",
        tokens: result.usage.totalTokens ?? 0,
        answer: result.text.length > 60 ? `${result.text.slice(0, 57)}…` : result.text,
      });
      await agent.dispose();
    }
  } finally {
    await factory.close();
  }
  console.log(
    renderTable(
      [
        { header: "template", cell: (row: AiRow) => row.template },
        { header: "model", cell: (row) => row.model },
        { header: "steps", cell: (row) => String(row.steps), right: true },
        { header: "tool calls", cell: (row) => String(row.tools), right: true },
        { header: "delegated to", cell: (row) => row.delegations },
        { header: "tokens", cell: (row) => String(row.tokens), right: true },
        { header: "answer", cell: (row) => row.answer },
      ],
      rows,
    ),
  );
  console.log(
    `${rows.length} agents ran their signed instructions through the AI SDK tool loop; every tool call went through the tool registry.`,
  );
};
