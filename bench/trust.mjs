// Trust: template verification through the SDK against bare jose on the same bytes, the
// memoized re-verify, and bulk signing — side by side in one run.
//
//   npm run build -w @nextgen/core && node bench/trust.mjs
//
// The SDK path does more than jose: it canonicalizes the template (RFC 8785) and hashes
// it, parses and checks the header against the policy (algorithm allowlist, key window,
// delegation, threshold) and the rollback mark. The ratio is the price of that policy.
import { generateKeyPairSync } from "node:crypto";
import { localKeySigner, memoryStateStore, signTemplate, trustPolicy } from "@nextgen/core";
import { canonicalTemplateBytes } from "@nextgen/core/internal";
import { FlattenedSign, flattenedVerify } from "jose";
import { do_not_optimize } from "mitata";
import { compareInterleaved } from "./support/interleaved.mjs";

const ROTATION = 64; // distinct templates cycled through so the memo cannot answer
const BULK = 1_000;

const template = (index) => ({
  schemaVersion: 1,
  id: `bench/agent-${index}`,
  version: "1.2.0",
  name: `Bench agent ${index}`,
  role: "specialist",
  description: "Finds vulnerabilities in code and configuration.",
  capabilities: ["vulnerability-scan", "threat-modeling"],
  tools: ["semgrep", "dependency-audit"],
  config: { model: "gpt-4o", temperature: 0.2, timeoutMs: 300000, maxRetries: 3 },
  metadata: { tier: "critical", owner: "security-team", tags: ["audit"] },
});

function keyPair(algorithm) {
  if (algorithm === "EdDSA") return generateKeyPairSync("ed25519");
  if (algorithm === "ES256") return generateKeyPairSync("ec", { namedCurve: "P-256" });
  return generateKeyPairSync("rsa", { modulusLength: 2048 });
}

const setups = [];
for (const algorithm of ["EdDSA", "ES256", "PS256", "RS256"]) {
  const { privateKey, publicKey } = keyPair(algorithm);
  const kid = `bench-${algorithm}`;
  const signer = localKeySigner({ key: privateKey, keyId: kid, algorithm });
  const signed = [];
  for (let index = 0; index < ROTATION; index++) signed.push(await signTemplate(template(index), signer));
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: algorithm };
  // memoMaxEntries 1 + a rotation of 64 templates: every verify below misses the memo.
  const policy = trustPolicy({ version: 1, keys: [jwk] }, { stateStore: memoryStateStore(), memoMaxEntries: 1 });
  const memoPolicy = trustPolicy({ version: 1, keys: [jwk] }, { stateStore: memoryStateStore() });
  const payloads = signed.map((entry) => Buffer.from(canonicalTemplateBytes(entry)).toString("base64url"));
  setups.push({ algorithm, signer, signed, policy, memoPolicy, publicKey, payloads });
}

const ed = setups[0];
let cursor = 0;
const next = () => (cursor = (cursor + 1) % ROTATION);

// Interleaved rounds (bench/support/interleaved.mjs): far steadier than back-to-back runs.
const compare = async (title, peer, ours, options) => rows.push(await compareInterleaved(title, peer, ours, options));
const rows = [];

for (const { algorithm, signed, policy, publicKey, payloads } of setups) {
  await compare(
    `verify one template (${algorithm})`,
    {
      name: "jose flattenedVerify, payload ready",
      fn: async () => {
        const index = next();
        const { protected: header, signature } = signed[index].signatures[0];
        do_not_optimize(
          await flattenedVerify({ protected: header, payload: payloads[index], signature }, publicKey, {
            algorithms: [algorithm],
          }),
        );
      },
    },
    {
      name: "policy.verify (canonicalize, hash, policy, crypto, rollback)",
      fn: async () => do_not_optimize(await policy.verify(signed[next()])),
    },
  );
}
await compare(
  "re-verify an already verified digest (EdDSA)",
  {
    name: "jose flattenedVerify",
    fn: async () => {
      const { protected: header, signature } = ed.signed[0].signatures[0];
      do_not_optimize(
        await flattenedVerify({ protected: header, payload: ed.payloads[0], signature }, ed.publicKey, {
          algorithms: ["EdDSA"],
        }),
      );
    },
  },
  { name: "policy.verify, memoized", fn: async () => do_not_optimize(await ed.memoPolicy.verify(ed.signed[0])) },
);
const bulk = Array.from({ length: BULK }, (_, index) => template(index));
const { privateKey: bulkKey } = generateKeyPairSync("ed25519");
const bulkSigner = localKeySigner({ key: bulkKey, keyId: "bulk" });
const iat = Math.floor(Date.now() / 1000);
await compare(
  `sign ${BULK} templates (EdDSA), per batch`,
  {
    name: "canonicalTemplateBytes + jose FlattenedSign",
    fn: async () => {
      for (const item of bulk) {
        do_not_optimize(
          await new FlattenedSign(canonicalTemplateBytes(item))
            .setProtectedHeader({ alg: "EdDSA", kid: "bulk", typ: "nextgen-template+jws", iat })
            .sign(bulkKey),
        );
      }
    },
  },
  {
    name: "signTemplate",
    fn: async () => {
      for (const item of bulk) do_not_optimize(await signTemplate(item, bulkSigner));
    },
  },
  { rounds: 11, batch: 1 },
);

console.log("| operation | peer | peer (median) | @nextgen | @nextgen (median) | ratio (ours / peer) |");
console.log("|---|---|---:|---|---:|---:|");
const format = (micros) => (micros >= 1000 ? `${(micros / 1000).toFixed(1)} ms` : `${micros.toFixed(1)} µs`);
for (const row of rows) {
  console.log(
    `| ${row.title} | ${row.peer} | ${format(row.peerMicros)} | ${row.ours} | ${format(row.ourMicros)} | ${row.ratio.toFixed(2)}× |`,
  );
}

const before = ed.memoPolicy.cryptoOperations;
for (let index = 0; index < 10_000; index++) await ed.memoPolicy.verify(ed.signed[0]);
console.log(
  `\nmemoized: 10000 re-verifies of one digest ran ${ed.memoPolicy.cryptoOperations - before} signature verifications`,
);
