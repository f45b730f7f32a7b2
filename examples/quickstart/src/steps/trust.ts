import { generateKeyPairSync } from "node:crypto";
import diagnosticsChannel from "node:diagnostics_channel";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import {
  AUDIT_CHANNEL,
  type AuditEvent,
  createAgentFactory,
  directorySource,
  fileStateStore,
  localKeySigner,
  memorySource,
  parseTemplate,
  SignatureError,
  signTemplate,
  type TrustedKey,
  trustPolicy,
} from "@nextgen/core";
import type { QuickstartStep } from "../context.js";
import { factoryShared } from "../shared.js";
import { renderTable } from "../table.js";

async function templateFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

const byVersion = (a: string, b: string): number => {
  const parts = (version: string) => version.split(/[.-]/).map((part) => Number(part));
  const [x, y] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(x.length, y.length); index++) {
    const difference = (x[index] ?? 0) - (y[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
};

/**
 * Signs the sample templates with a throwaway key, creates every agent through
 * verification (the factory verifies each template of an `extends` chain first), and
 * shows a tampered template and a replayed older version being refused.
 */
export const trustStep: QuickstartStep = async (context) => {
  context.heading("Trust: signed templates, verified before they become agents");
  const shared = factoryShared(context);

  // 1. A throwaway Ed25519 key; in production the private key stays in CI or a KMS.
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const signer = localKeySigner({ key: privateKey, keyId: "quickstart-demo" });
  const publicJwk = { ...publicKey.export({ format: "jwk" }), kid: "quickstart-demo", alg: "EdDSA" } as TrustedKey;

  // 2. Sign every sample into the work directory (what `nextgen sign` does).
  const signedDir = join(context.workDir, "signed-templates");
  const files = await templateFiles(context.samplesDir);
  for (const file of files) {
    const template = parseTemplate(await readFile(file), { location: file });
    const target = join(signedDir, relative(context.samplesDir, file));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, `${JSON.stringify(await signTemplate(template, signer), null, 2)}\n`);
  }
  console.log(
    `signed ${files.length} templates with kid "quickstart-demo" into ${relative(context.workDir, signedDir)}/`,
  );

  // 3. A policy trusting that key; rollback marks persist in the work directory.
  const trust = trustPolicy(
    { version: 1, keys: [publicJwk] },
    { stateStore: fileStateStore(join(context.workDir, "trust-state.json")) },
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
    const refs = [...(await source.list())].sort((a, b) =>
      a.id === b.id ? byVersion(a.version, b.version) : a.id < b.id ? -1 : 1,
    );
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

    // 4. Tampering: one more tool slipped into a signed template is refused with its reason.
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

    // 5. Rollback: once 2.0.0 was accepted, the validly signed 1.2.0 is a replay.
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
