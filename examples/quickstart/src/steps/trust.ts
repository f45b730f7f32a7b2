import diagnosticsChannel from "node:diagnostics_channel";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  AUDIT_CHANNEL,
  type AuditEvent,
  createAgentFactory,
  directorySource,
  fileStateStore,
  memorySource,
  parseTemplate,
  SignatureError,
  trustPolicy,
} from "@nextgen/core";
import type { QuickstartStep } from "../context.js";
import { factoryShared, signingShared } from "../shared.js";
import { renderTable } from "../table.js";

/**
 * Shows the verdicts behind the agents the factory step created: a fresh policy over the
 * same keys and rollback state verifies every signed sample (each template of an `extends`
 * chain first), then a tampered template and a replayed older version are refused.
 */
export const trustStep: QuickstartStep = async (context) => {
  context.heading("Trust: every verdict, and the attacks it stops");
  const shared = factoryShared(context);
  const { keys, signedDir } = signingShared(context);

  // A second service trusting the same keys, with its own memo (so every verdict is computed
  // and published again) and its own rollback marks, persisted across its restarts.
  const trust = trustPolicy(
    { version: 1, keys },
    { stateStore: fileStateStore(join(context.workDir, "trust-step-state.json")) },
  );
  const verdicts: AuditEvent[] = [];
  const onAudit = (message: unknown): void => {
    const event = message as AuditEvent;
    if (event.type === "trust.verify") verdicts.push(event);
  };
  diagnosticsChannel.subscribe(AUDIT_CHANNEL, onAudit);
  const source = directorySource(signedDir);
  const factory = createAgentFactory({ ...shared.options, source, trust });
  try {
    // Listed lowest version first, so no version is a rollback of one created before it.
    const refs = await source.list();
    for (const ref of refs) await factory.create(ref.id, { version: ref.version });
    // One row per template version: the first verdict (later creates reuse the verified copy).
    const rows = [...new Map(verdicts.map((event) => [`${event.templateId}@${event.version}`, event])).values()];
    console.log(
      renderTable<AuditEvent>(
        [
          { header: "template", cell: (event) => `${event.templateId}@${event.version}` },
          { header: "digest", cell: (event) => `${(event.digest ?? "").slice(0, 19)}…` },
          { header: "keys", cell: (event) => (event.keyIds ?? []).join(",") },
          { header: "verdict", cell: (event) => event.verdict ?? "" },
        ],
        rows,
      ),
    );
    console.log(`${refs.length} agents created, each only after its whole extends chain verified`);

    // Tampering: one more tool slipped into a signed template is refused with its reason.
    const auditor = parseTemplate(await readFile(join(signedDir, "security", "auditor@2.0.0.json")));
    const tampered = { ...auditor, tools: [...(auditor.tools ?? []), "shell"] };
    const tamperedFactory = createAgentFactory({ ...shared.options, source: memorySource([tampered]), trust });
    const refusal = await tamperedFactory.create("security/auditor").then(
      () => undefined,
      (error: unknown) => error,
    );
    await tamperedFactory.close();
    if (refusal instanceof SignatureError) {
      console.log(
        `tampered security/auditor@2.0.0 (tools + "shell"): refused, reason ${refusal.reason} (${refusal.code})`,
      );
    } else throw new Error("the tampered template was not refused");

    // Rollback: once 2.0.0 was accepted, the validly signed 1.2.0 is a replay.
    const older = parseTemplate(await readFile(join(signedDir, "security", "auditor.json")));
    const replayFactory = createAgentFactory({ ...shared.options, source: memorySource([older]), trust });
    const replay = await replayFactory.create("security/auditor").then(
      () => undefined,
      (error: unknown) => error,
    );
    await replayFactory.close();
    if (replay instanceof SignatureError) {
      console.log(
        `replayed security/auditor@${older.version} after 2.0.0: refused, reason ${replay.reason} (${replay.code})`,
      );
    } else throw new Error("the replayed version was not refused");
  } finally {
    diagnosticsChannel.unsubscribe(AUDIT_CHANNEL, onAudit);
    await factory.close();
  }
};
