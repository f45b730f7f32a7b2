import { Agent, type RunContext } from "@nextgen/core";
import { type ReviewTask, SEVERITIES } from "../review-task.js";
import { type Report, runGrantedTools, worstSeverity } from "./report.js";

/** A reviewer's report: findings and a merge verdict. */
export interface Verdict extends Report {
  /** `request-changes` when anything is medium or worse. */
  verdict: "approve" | "request-changes";
}

/** A validator (peer reviewer): decides whether the change can merge. */
export class ValidatorAgent extends Agent<ReviewTask, Verdict> {
  protected async execute(task: ReviewTask, context: RunContext): Promise<Verdict> {
    const findings = await runGrantedTools(task, context);
    const blocking = SEVERITIES.indexOf(worstSeverity(findings)) >= SEVERITIES.indexOf("medium");
    return {
      templateId: this.template.id,
      agent: this.template.name,
      findings,
      verdict: blocking ? "request-changes" : "approve",
    };
  }
}
