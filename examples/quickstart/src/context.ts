/** What every quickstart step gets: where the sample templates are and a scratch directory. */
export interface QuickstartContext {
  /** The repository's sample templates (read-only: steps copy before they change anything). */
  readonly samplesDir: string;
  /** A fresh temporary directory for this run, removed at the end. */
  readonly workDir: string;
  /** Prints a section heading. */
  heading(title: string): void;
  /** Values one step hands to later ones (the signed templates directory, a trust policy, …). */
  readonly shared: Map<string, unknown>;
}

/** One section of the demo. */
export type QuickstartStep = (context: QuickstartContext) => Promise<void>;
