// Disaster recovery: how long it takes to bring back 10,000 templates on an empty machine
// from a verified, encrypted archive with @nextgen/backup, against what an operator would
// script instead (sha256sum -c of the archive, then tar xzf), on the same archive in the
// same run. The timed part starts from a copy of the archives directory (what off-site
// storage hands back) and an empty target; it ends when the target holds every template.
// Run after building: npm run build -w @nextgen/core -w @nextgen/backup
//   node bench/restore.mjs [templates=10000] [runs=3]
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBackupManager } from "@nextgen/backup";

const count = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 3);
const root = await mkdtemp(join(tmpdir(), "nextgen-bench-restore-"));
const source = join(root, "templates");
const encryptionKey = randomBytes(32);

for (let index = 0; index < count; index++) {
  const namespace = `ns${index % 100}`;
  await mkdir(join(source, namespace), { recursive: true });
  const template = {
    schemaVersion: 1,
    id: `${namespace}/agent-${index}`,
    version: "1.0.0",
    name: `Agent ${index}`,
    role: "specialist",
    description: `Disaster-recovery benchmark agent number ${index}.`,
    capabilities: ["analysis", `skill-${index % 17}`],
    config: { model: "gpt-4o", temperature: 0.2, timeoutMs: 30000, maxRetries: 2 },
    metadata: { tier: "production", owner: "bench" },
  };
  await writeFile(join(source, namespace, `agent-${index}.json`), `${JSON.stringify(template, null, 2)}\n`);
}

const production = createBackupManager({ source, repository: join(root, "repo"), archives: join(root, "archives") });
await production.snapshot({ message: "before the disaster" });
const manifest = await production.archive({ tier: "production", encryptionKey, keyId: "dr-2026" });

const countFiles = async (directory) =>
  (await readdir(directory, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).length;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const ours = [];
const peer = [];
for (let run = 0; run < runs; run++) {
  // A new machine: the archives come back from off-site storage; nothing else exists.
  const machine = join(root, `machine-${run}`);
  await cp(join(root, "archives"), join(machine, "archives"), { recursive: true });
  const start = performance.now();
  const recovery = createBackupManager({
    source: join(machine, "templates"),
    repository: join(machine, "repo"),
    archives: join(machine, "archives"),
    requireEncryption: true,
  });
  // verify throws on any mismatch; it also says what it checked.
  const report = await recovery.verify(manifest.id, { encryptionKey });
  if (report.files < count || !report.decrypted)
    throw new Error(`archive checked too little: ${JSON.stringify(report)}`);
  const restored = await recovery.restore(manifest.id, { encryptionKey });
  ours.push(performance.now() - start);
  if ((await countFiles(join(machine, "templates"))) < count) throw new Error(`restored ${restored.files} files`);

  // The peer: a plaintext tar.gz with a sha256sum list (no decryption, no per-file check).
  const plain = join(root, `peer-${run}`);
  await mkdir(join(plain, "templates"), { recursive: true });
  if (run === 0) {
    execFileSync("bash", [
      "-c",
      `cd ${source} && tar czf ${root}/peer.tar.gz . && sha256sum ${root}/peer.tar.gz > ${root}/peer.sha256`,
    ]);
  }
  const peerStart = performance.now();
  execFileSync("bash", [
    "-c",
    `sha256sum -c --quiet ${root}/peer.sha256 && tar xzf ${root}/peer.tar.gz -C ${plain}/templates`,
  ]);
  peer.push(performance.now() - peerStart);
  await rm(machine, { recursive: true, force: true });
  await rm(plain, { recursive: true, force: true });
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`restore of ${count} templates from a verified, encrypted archive (${runs} runs, median)`);
console.log(`  @nextgen/backup verify + restore: ${seconds(median(ours))}  (runs: ${ours.map(seconds).join(", ")})`);
console.log(`  sha256sum -c + tar xzf:           ${seconds(median(peer))}  (plaintext, no per-file verification)`);
console.log(`  ratio: ${(median(ours) / median(peer)).toFixed(1)}×; design goal: rollback in under 5 minutes`);
await rm(root, { recursive: true, force: true });
