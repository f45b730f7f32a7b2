// Test helpers around the real `zstd` command (installed here and in CI: `apt-get install -y zstd`).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Runs `zstd` with `args`, feeding `input` on stdin, and returns stdout. */
export function zstdCli(args: readonly string[], input?: Uint8Array | string): Uint8Array {
  return new Uint8Array(execFileSync("zstd", ["-q", ...args], { input, maxBuffer: 256 * 1024 * 1024 }));
}

/** Runs a shell pipeline and returns stdout (used to make bombs from /dev/zero). */
export function shell(command: string): Uint8Array {
  return new Uint8Array(execFileSync("sh", ["-c", command], { maxBuffer: 64 * 1024 * 1024 }));
}

/** A fresh temporary directory and its remover. */
export function temporaryDirectory(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `nextgen-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Realistic small JSON documents (agent-template-like) for dictionary and round-trip tests. */
export function sampleDocuments(count: number): Uint8Array[] {
  const kinds = ["specialist", "coordinator", "reviewer"];
  const tools = ["semgrep", "dependency-audit", "git-log", "http-fetch", "sbom"];
  return Array.from({ length: count }, (_, index) =>
    new TextEncoder().encode(
      JSON.stringify(
        {
          apiVersion: "nextgen/v1",
          name: `team-${index % 7}/agent-${index}`,
          kind: kinds[index % kinds.length],
          description: `Agent number ${index} reviews pull requests for ${tools[index % tools.length]} findings.`,
          model: { provider: "anthropic", name: "claude", temperature: (index % 10) / 10, maxTokens: 1024 + index },
          tools: tools.slice(0, 1 + (index % tools.length)),
          prompt: { system: `You are agent ${index}. Be precise, cite files and lines, never guess.` },
        },
        null,
        2,
      ),
    ),
  );
}
