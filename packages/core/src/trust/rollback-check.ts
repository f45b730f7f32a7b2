import { compareVersions } from "../source/semver-compare.js";
import type { AgentTemplate, TemplateDigest } from "../template/types.js";
import { SignatureError } from "./signature-error.js";
import type { StateStore } from "./state-store.js";

/**
 * @internal Refuses `template` when a higher version of its id was accepted before, or
 * the same version with another digest; otherwise raises the high-water mark.
 */
export async function checkRollback(store: StateStore, template: AgentTemplate, digest: TemplateDigest): Promise<void> {
  const mark = await store.get(template.id);
  const subject = { templateId: template.id, version: template.version };
  if (mark === undefined) return store.set(template.id, { version: template.version, digest });
  const order = compareVersions(template.version, mark.version) ?? (template.version === mark.version ? 0 : Number.NaN);
  if (Number.isNaN(order)) {
    throw new SignatureError(
      "rollback",
      `${template.id}: cannot order version ${template.version} against accepted ${mark.version}`,
      subject,
    );
  }
  if (order < 0) {
    throw new SignatureError(
      "rollback",
      `${template.id}@${template.version} is older than the accepted ${mark.version} (rollback)`,
      subject,
    );
  }
  if (order === 0) {
    if (mark.digest === digest) return;
    throw new SignatureError(
      "version-reused",
      `${template.id}@${template.version} has digest ${digest}, but ${mark.digest} was accepted for that version: a published version must not change. Bump \`version\` and sign again.`,
      subject,
    );
  }
  await store.set(template.id, { version: template.version, digest });
}
