import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "@nextgen/test-support";
import { afterAll, describe, expect, it } from "vitest";
import { allowListVerifier, testDigest } from "../cache/allow-list-verifier.js";
import { memoryTier } from "../cache/memory-tier.js";
import { createAgentFactory } from "../factory/create-agent-factory.js";
import { CoordinatorAgent } from "../factory/test-kinds.js";
import { directorySource } from "../source/directory-source.js";
import type { AgentTemplate } from "../template/types.js";
import type { DiagnosticsLogger } from "./diagnostics-logger.js";
import { logDiagnostics } from "./log-diagnostics.js";

// Issue 12 item 13: a refused hot reload reaches the host's logger, with no channel wiring.
const root = await mkdtemp(join(tmpdir(), "nextgen-log-diagnostics-"));
afterAll(() => rm(root, { recursive: true, force: true }));

type Line = { level: "info" | "warn" | "error"; details: Record<string, unknown>; message: string | undefined };
function recordingLogger(): DiagnosticsLogger & { lines: Line[] } {
  const lines: Line[] = [];
  const at =
    (level: Line["level"]) =>
    (details: object, message?: string): void =>
      void lines.push({ level, details: details as Record<string, unknown>, message });
  return { lines, info: at("info"), warn: at("warn"), error: at("error") };
}

const coordinator = (version: string, description: string): AgentTemplate => ({
  schemaVersion: 1,
  id: "analysis/coordinator",
  version,
  name: "Analysis coordinator",
  role: "coordinator",
  description,
});

describe("logging diagnostics", () => {
  it("writes a refused hot reload to the factory's logger (warn, with the code) and to logDiagnostics' logger", async () => {
    const dir = join(root, "templates");
    await mkdir(join(dir, "analysis"), { recursive: true });
    const good = coordinator("1.0.0", "first");
    await writeFile(join(dir, "analysis/coordinator.json"), JSON.stringify(good));
    const factoryLogger = recordingLogger();
    const processLogger = recordingLogger();
    const stop = logDiagnostics(processLogger);
    const factory = createAgentFactory({
      source: directorySource(dir, { watch: { debounceMs: 20, pollIntervalMs: 20 } }),
      trust: allowListVerifier([testDigest(good)]),
      kinds: { coordinator: CoordinatorAgent },
      logger: factoryLogger,
      cache: { layers: [memoryTier()], hotReload: true },
    });
    try {
      await factory.create("analysis/coordinator");
      await writeFile(join(dir, "analysis/coordinator.json"), JSON.stringify(coordinator("1.1.0", "unsigned")));
      await until(() => factoryLogger.lines.some((line) => line.level === "warn"), {
        what: "the refusal to be logged",
      });
      const warned = factoryLogger.lines.find((line) => line.level === "warn")!;
      expect(warned.details).toMatchObject({ templateId: "analysis/coordinator", code: "NG_ERR_SIGNATURE_BAD" });
      expect(warned.message).toMatch(/refused.*last good version/);
      await until(() => processLogger.lines.some((line) => line.level === "warn"), { what: "the process logger" });
      expect((await factory.create("analysis/coordinator")).template.version).toBe("1.0.0");
    } finally {
      stop();
      await factory.close();
    }
  });

  it("refuses a logger without info, warn and error, naming the option", async () => {
    expect(() => logDiagnostics({ info() {} } as never)).toThrow(/logger/);
    expect(() =>
      createAgentFactory({
        source: directorySource(root),
        trust: allowListVerifier([]),
        kinds: { coordinator: CoordinatorAgent },
        logger: console.log as never,
      }),
    ).toThrow(/options\.logger/);
  });
});
