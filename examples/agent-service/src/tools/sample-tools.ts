import { defineTool, type ToolDefinition, type ToolRegistry, toolRegistry } from "@nextgen/core";

/** One finding of a sample tool. */
export interface Finding {
  tool: string;
  severity: "critical" | "high" | "medium" | "low";
  message: string;
}

type Scanner = (text: string) => Finding[];

const matches = (tool: string, severity: Finding["severity"], pattern: RegExp, message: string): Scanner => {
  return (text) => {
    const found = text.match(pattern);
    return found === null ? [] : [{ tool, severity, message: `${message} (${found.length}×)` }];
  };
};

// Deterministic, offline scanners: what the sample templates name, enough to show tools
// being granted (and denied) per template; a real deployment registers its own.
const scanners: Readonly<Record<string, Scanner>> = {
  "secret-scan": matches(
    "secret-scan",
    "critical",
    /(AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|password\s*=)/g,
    "possible credential",
  ),
  "dependency-audit": matches(
    "dependency-audit",
    "high",
    /"(lodash|minimist|event-stream)"\s*:\s*"[~^]?[0-3]\./g,
    "dependency with known advisories",
  ),
  "license-check": matches("license-check", "medium", /\b(GPL-3\.0|AGPL-3\.0)\b/g, "copyleft license"),
  "pii-scan": matches("pii-scan", "high", /\b[\w.+-]+@[\w-]+\.[\w.]+\b/g, "e-mail address"),
  "perf-lint": matches(
    "perf-lint",
    "low",
    /\b(readFileSync|JSON\.parse\(JSON\.stringify)/g,
    "blocking or wasteful call",
  ),
  complexity: (text) => {
    const branches = text.match(/\b(if|for|while|case|catch)\b|&&|\|\|/g)?.length ?? 0;
    return branches > 10 ? [{ tool: "complexity", severity: "medium", message: `${branches} branches` }] : [];
  },
  "style-check": matches("style-check", "low", /[ \t]+$/gm, "trailing whitespace"),
  "coverage-gap": (text) =>
    /\bexport function\b/.test(text) && !/\b(describe|it|test)\(/.test(text)
      ? [{ tool: "coverage-gap", severity: "low", message: "exported code without tests" }]
      : [],
  "diff-stats": (text) => [{ tool: "diff-stats", severity: "low", message: `${text.split("\n").length} line(s)` }],
};

/** What a sample tool takes: the text to scan (the scripted model sends the request's input). */
const INPUT_SCHEMA = {
  type: "object",
  properties: { text: { type: "string", description: "The code, diff or document to check." } },
  required: ["text"],
  additionalProperties: false,
} as const;

const MAX_TEXT = 1024 * 1024;

/**
 * The registry of the sample tools, as model-callable definitions (description and input
 * schema): each scans `{ text }` (bounded to 1 MiB) and returns its findings.
 *
 * @example
 * ```ts
 * const factory = createAgentFactory({ source, trust, kinds, tools: sampleToolRegistry() });
 * ```
 */
export function sampleToolRegistry(): ToolRegistry {
  const tools: Record<string, ToolDefinition<{ text: string }, Finding[]>> = {};
  for (const [name, scan] of Object.entries(scanners)) {
    tools[name] = defineTool({
      description: `Scans the text with the ${name} rules and returns its findings ({ tool, severity, message }[]).`,
      inputSchema: INPUT_SCHEMA,
      execute: (input: { text: string }) => scan(typeof input?.text === "string" ? input.text.slice(0, MAX_TEXT) : ""),
    });
  }
  return toolRegistry(tools);
}
