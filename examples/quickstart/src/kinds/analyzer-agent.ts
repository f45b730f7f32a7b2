import { Agent, type RunContext } from "@nextgen/core";
import { type ReviewTask, SEVERITIES } from "../review-task.js";
import { type Report, runGrantedTools } from "./report.js";

/** An analyzer's report: findings plus a 0–100 score. */
export interface ScoredReport extends Report {
  /** 100 minus a penalty per finding, weighted by severity. */
  score: number;
}

/** An analyzer (performance): reports findings and scores the change. */
export class AnalyzerAgent extends Agent<ReviewTask, ScoredReport> {
  protected async execute(task: ReviewTask, context: RunContext): Promise<ScoredReport> {
    const findings = await runGrantedTools(task, context);
    const penalty = findings.reduce((sum, finding) => sum + SEVERITIES.indexOf(finding.severity) * 5, 0);
    return { templateId: this.template.id, agent: this.template.name, findings, score: Math.max(0, 100 - penalty) };
  }
}
