import { AnalyzerAgent } from "./analyzer-agent.js";
import { CoordinatorAgent } from "./coordinator-agent.js";
import { GeneralistAgent } from "./generalist-agent.js";
import { SpecialistAgent } from "./specialist-agent.js";
import { ValidatorAgent } from "./validator-agent.js";

export type { ScoredReport } from "./analyzer-agent.js";
export type { Summary } from "./coordinator-agent.js";
export type { Notes } from "./generalist-agent.js";
export type { Report } from "./report.js";
export type { Verdict } from "./validator-agent.js";
export { AnalyzerAgent, CoordinatorAgent, GeneralistAgent, SpecialistAgent, ValidatorAgent };

/** The agent classes of the samples, by role. */
export type SampleKinds = {
  specialist: typeof SpecialistAgent;
  analyzer: typeof AnalyzerAgent;
  validator: typeof ValidatorAgent;
  generalist: typeof GeneralistAgent;
  coordinator: typeof CoordinatorAgent;
};

/** One agent class per role the sample templates use. */
export const sampleKinds: SampleKinds = {
  specialist: SpecialistAgent,
  analyzer: AnalyzerAgent,
  validator: ValidatorAgent,
  generalist: GeneralistAgent,
  coordinator: CoordinatorAgent,
};
