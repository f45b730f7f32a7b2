import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { QuickstartContext } from "./context.js";
import { FACTORY_SHARED, type FactoryShared } from "./shared.js";
import { steps } from "./steps/index.js";

const samplesDir = fileURLToPath(new URL("../../templates/", import.meta.url));
const workDir = await mkdtemp(join(tmpdir(), "nextgen-quickstart-"));
const context: QuickstartContext = {
  samplesDir,
  workDir,
  shared: new Map(),
  heading(title) {
    process.stdout.write(`\n== ${title} ${"=".repeat(Math.max(0, 74 - title.length))}\n`);
  },
};

try {
  for (const step of steps) await step(context);
} finally {
  // The sandboxed tool's own worker pool.
  await (context.shared.get(FACTORY_SHARED) as FactoryShared | undefined)?.sandboxed.close();
  await rm(workDir, { recursive: true, force: true });
}
