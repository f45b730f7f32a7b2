import type { RunContext } from "@nextgen/core";
import { type Finding, type ReviewTask, SEVERITIES } from "../review-task.js";

/** What a reviewing agent returns. */
export interface Report {
  /** Template id of the agent. */
  templateId: string;
  /** Agent name. */
  agent: string;
  /** Everything its tools found. */
  findings: Finding[];
}

/** Runs every tool the template grants on `task` and collects their findings. */
export async function runGrantedTools(task: ReviewTask, context: RunContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const name of context.tools.names) {
    const found = await context.tools.call(name, task, { signal: context.signal });
    findings.push(...(found as Finding[]));
  }
  return findings;
}

/** The most serious severity among `findings` ("info" when there are none). */
export function worstSeverity(findings: readonly Finding[]): Finding["severity"] {
  let worst = 0;
  for (const finding of findings) worst = Math.max(worst, SEVERITIES.indexOf(finding.severity));
  return SEVERITIES[worst]!;
}
