import { Agent, type RunContext } from "@nextgen/core";
import type { ReviewTask } from "../review-task.js";
import { type Report, runGrantedTools } from "./report.js";

/** A generalist's report: findings and drafted notes. */
export interface Notes extends Report {
  /** A changelog line drafted from the change. */
  changelog: string;
}

/** A generalist (technical writer): drafts notes from what its tools measure. */
export class GeneralistAgent extends Agent<ReviewTask, Notes> {
  protected async execute(task: ReviewTask, context: RunContext): Promise<Notes> {
    const findings = await runGrantedTools(task, context);
    const stats = findings.find((finding) => finding.tool === "diff-stats")?.message ?? "no diff";
    return { templateId: this.template.id, agent: this.template.name, findings, changelog: `${task.title} (${stats})` };
  }
}
