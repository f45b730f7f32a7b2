import { Agent, type RunContext } from "@nextgen/core";
import type { ReviewTask } from "../review-task.js";
import { type Report, runGrantedTools } from "./report.js";

/** A specialist (auditor, tester): runs its template's tools and reports what they found. */
export class SpecialistAgent extends Agent<ReviewTask, Report> {
  protected async execute(task: ReviewTask, context: RunContext): Promise<Report> {
    const findings = await runGrantedTools(task, context);
    return { templateId: this.template.id, agent: this.template.name, findings };
  }
}
