import { rm } from "node:fs/promises";
import { join } from "node:path";
import { type BackupManifest, manifestFileName } from "../archive/manifest.js";
import { planRetention } from "./plan-retention.js";
import type { PruneResult } from "./prune-types.js";
import type { RetentionPolicy } from "./retention-policy.js";

/**
 * Applies a policy to archives (newest first). The newest archive that `verifies` is
 * marked verified, so the plan never removes it; with none verified, the plan protects the
 * newest. Removal deletes the manifest first, so `list()` never shows an archive whose
 * file is already gone.
 */
export async function pruneArchives(
  archivesDir: string,
  manifests: readonly BackupManifest[],
  verifies: (id: string) => Promise<boolean>,
  policy: RetentionPolicy,
  now: number,
  dryRun: boolean,
): Promise<PruneResult> {
  let newestVerified: string | undefined;
  for (const manifest of manifests) {
    if (await verifies(manifest.id)) {
      newestVerified = manifest.id;
      break;
    }
  }
  const candidates = manifests.map((manifest) => ({
    id: manifest.id,
    created: manifest.created,
    tier: manifest.tier,
    verified: manifest.id === newestVerified,
  }));
  const plan = planRetention(candidates, policy, now);
  const removed: string[] = [];
  if (!dryRun) {
    for (const decision of plan.remove) {
      const manifest = manifests.find((candidate) => candidate.id === decision.id);
      await rm(join(archivesDir, manifestFileName(decision.id)), { force: true });
      if (manifest !== undefined) await rm(join(archivesDir, manifest.archive.file), { force: true });
      removed.push(decision.id);
    }
  }
  return { dryRun, plan, removed };
}
