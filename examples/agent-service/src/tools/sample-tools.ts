import { type ToolRegistry, toolRegistry } from "@nextgen/core";

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

/** The registry of the sample tools: a tool receives the run's input as text. */
export function sampleToolRegistry(): ToolRegistry {
  const tools: Record<string, (input: string) => Finding[]> = {};
  for (const [name, scan] of Object.entries(scanners)) {
    tools[name] = (input: string) => scan(typeof input === "string" ? input.slice(0, 1024 * 1024) : "");
  }
  return toolRegistry(tools);
}
