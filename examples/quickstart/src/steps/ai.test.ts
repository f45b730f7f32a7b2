import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SCRIPTED_MODEL_LABEL } from "../ai/scripted-model.js";
import type { QuickstartContext } from "../context.js";
import { aiStep, demoModels } from "./ai.js";
import { signingStep } from "./signing.js";

const samplesDir = fileURLToPath(new URL("../../../templates/", import.meta.url));
const dirs: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("quickstart model-driven agents step", () => {
  it("runs the nine sample agents through aiAgentKind against the labelled scripted model, the coordinator delegating", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.join(" "));
    });
    const workDir = await mkdtemp(join(tmpdir(), "nextgen-quickstart-ai-"));
    dirs.push(workDir);
    const context: QuickstartContext = { samplesDir, workDir, shared: new Map(), heading: () => {} };
    await signingStep(context);
    lines.length = 0;
    await aiStep(context);
    const output = lines.join("\n");
    expect(output).toContain(`model: ${SCRIPTED_MODEL_LABEL}`);
    expect(output).toContain("9 agents ran their signed instructions");
    const coordinator = output.split("\n").find((line) => line.startsWith("analysis/coordinator"));
    expect(coordinator).toContain("security/auditor, performance/auditor, quality/auditor, compliance/auditor");
    expect(coordinator).toContain("Merged 4 auditor report(s)");
    const security = output.split("\n").find((line) => line.startsWith("security/auditor"));
    expect(security).toMatch(/reasoning\s+2\s+4/);
  });

  it("uses an OpenAI-compatible server when OPENAI_API_KEY is set", () => {
    const { models, label } = demoModels({ OPENAI_API_KEY: "k", OPENAI_BASE_URL: "http://127.0.0.1:1/v1" });
    expect(label).toBe("gpt-4o-mini (fast) and gpt-4o (reasoning) at http://127.0.0.1:1/v1");
    expect(models.names).toEqual(["fast", "reasoning"]);
    expect(demoModels({}).label).toBe(SCRIPTED_MODEL_LABEL);
  });
});
