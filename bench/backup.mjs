// Backup: snapshot and archive of 10,000 small templates, against the tools an operator would
// script instead, on the same tree in the same run:
//   snapshot  vs  git add -A && git commit            (first commit, then one changed file)
//   archive   vs  tar czf + sha256sum of every file and of the archive
// Run after building: npm run build -w @nextgen/core && npm run build -w @nextgen/backup
//   node bench/backup.mjs [templates=10000] [runs=3]
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBackupManager } from "@nextgen/backup";

const count = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 3);
const root = await mkdtemp(join(tmpdir(), "nextgen-bench-backup-"));
const source = join(root, "templates");

function template(index, version = "1.0.0") {
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      id: `ns${index % 100}/agent-${index}`,
      version,
      name: `Agent ${index}`,
      role: "specialist",
      description: `Benchmark agent number ${index}.`,
      capabilities: ["analysis", `skill-${index % 17}`],
      config: { model: "gpt-4o", temperature: 0.2, timeoutMs: 30000, maxRetries: 2 },
      metadata: { tier: "production", owner: "bench" },
    },
    null,
    2,
  )}\n`;
}

for (let index = 0; index < count; index++) {
  await mkdir(join(source, `ns${index % 100}`), { recursive: true });
  await writeFile(join(source, `ns${index % 100}`, `agent-${index}.json`), template(index));
}

const sh = (script) => execFileSync("bash", ["-c", script], { stdio: ["ignore", "ignore", "inherit"] });
const gitEnv =
  "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@b GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@b";

async function time(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];

const results = { firstSnapshot: [[], []], incrementalSnapshot: [[], []], archive: [[], []] };
for (let run = 0; run < runs; run++) {
  const ours = createBackupManager({
    source,
    repository: join(root, `repo-${run}`),
    archives: join(root, `archives-${run}`),
  });
  const peerRepo = join(root, `peer-${run}.git`);
  sh(`git init -q --bare ${peerRepo}`);
  // gc.autoDetach=false: git commit's housekeeping runs in the foreground, as in @nextgen/backup.
  const peerGit = `${gitEnv} git -c gc.autoDetach=false --git-dir=${peerRepo} --work-tree=${source}`;

  // Alternate which side goes first so page-cache warmth and background load do not favour one.
  const pair = async (key, oursFn, peerFn) => {
    if (run % 2 === 0) {
      results[key][0].push(await time(oursFn));
      results[key][1].push(await time(peerFn));
    } else {
      results[key][1].push(await time(peerFn));
      results[key][0].push(await time(oursFn));
    }
  };
  await pair(
    "firstSnapshot",
    () => ours.snapshot({ message: "first" }),
    () => sh(`${peerGit} add -A && ${peerGit} commit -q -m first`),
  );
  await writeFile(join(source, "ns0", "agent-0.json"), template(0, `1.0.${run + 1}`));
  await pair(
    "incrementalSnapshot",
    () => ours.snapshot({ message: "one change" }),
    () => sh(`${peerGit} add -A && ${peerGit} commit -q -m change`),
  );
  const peerArchive = join(root, `peer-${run}.tar.gz`);
  await pair(
    "archive",
    () => ours.archive({ tier: "production" }),
    () =>
      sh(
        `tar czf ${peerArchive} -C ${source} . && (cd ${source} && find . -type f -print0 | xargs -0 sha256sum > ${peerArchive}.sums) && sha256sum ${peerArchive} >> ${peerArchive}.sums`,
      ),
  );
}

console.log(
  `backup: ${count} templates, median of ${runs} runs, node ${process.version}, ${execFileSync("git", ["--version"]).toString().trim()}`,
);
console.log("| operation | @nextgen/backup | peer | ratio (ours / peer) |");
console.log("|---|---|---|---|");
const rows = [
  ["first snapshot", "firstSnapshot", "git add -A && git commit"],
  ["snapshot, 1 file changed", "incrementalSnapshot", "git add -A && git commit"],
  ["archive + manifest", "archive", "tar czf + sha256sum (every file + archive)"],
];
for (const [label, key, peer] of rows) {
  const ours = median(results[key][0]);
  const theirs = median(results[key][1]);
  console.log(
    `| ${label} | ${ours.toFixed(0)} ms | ${theirs.toFixed(0)} ms (${peer}) | ${(ours / theirs).toFixed(2)}× |`,
  );
}
await rm(root, { recursive: true, force: true, maxRetries: 5 });
