import { defineTool, type ToolRegistry, toolRegistry } from "@nextgen/core";
import type { Finding, ReviewTask } from "../review-task.js";
import { sampleTools } from "../tools/index.js";

/** What each sample tool does, for the model. */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  "secret-scan": "Finds credentials committed in the changed files.",
  "dependency-audit": "Reports dependencies below the first fixed version of a known advisory.",
  "license-check": "Checks each dependency's SPDX licence against the allowlist.",
  "pii-scan": "Finds personal data committed in code or fixtures.",
  "perf-lint": "Flags patterns that commonly cost latency on hot paths.",
  complexity: "Reports functions whose branch count makes them hard to maintain.",
  "style-check": "Reports long lines, trailing whitespace, tabs and leftover debugging.",
  "coverage-gap": "Reports exported functions that no changed test mentions.",
  "diff-stats": "Counts added and removed lines and files of the diff.",
};

const INPUT_SCHEMA = {
  type: "object",
  properties: {
    files: {
      type: "array",
      items: { type: "string" },
      description: "Repository paths to check; every changed file when omitted.",
    },
  },
  additionalProperties: false,
} as const;

/**
 * The sample tools as model-callable definitions: each runs on the change set under review
 * (host state the model cannot replace), optionally narrowed to some of its files.
 */
export function modelToolRegistry(task: ReviewTask): ToolRegistry {
  const definitions = Object.fromEntries(
    Object.entries(sampleTools).map(([name, run]) => [
      name,
      defineTool({
        description: DESCRIPTIONS[name] ?? name,
        inputSchema: INPUT_SCHEMA,
        execute: (input: { files?: string[] }): Finding[] => {
          const files = input.files;
          return run(
            files === undefined ? task : { ...task, files: task.files.filter((file) => files.includes(file.path)) },
          );
        },
      }),
    ]),
  );
  return toolRegistry(definitions);
}
