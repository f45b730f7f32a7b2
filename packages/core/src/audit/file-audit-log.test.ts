import { constants } from "node:fs";
import { appendFile, mkdtemp, readdir, readFile, readlink, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NextGenError } from "../errors/next-gen-error.js";
import { AUDIT_GENESIS_HASH } from "./audit-hash.js";
import type { AuditRecord } from "./audit-sink.js";
import { fileAuditLog } from "./file-audit-log.js";
import { verifyAuditLog } from "./verify-audit-log.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "ng-audit-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const clock = { now: () => Date.parse("2026-06-01T00:00:00Z") };
const read = async (path: string): Promise<AuditRecord[]> =>
  (await readFile(path, "utf8"))
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as AuditRecord);

describe("fileAuditLog", () => {
  it("writes hash-chained records in the documented shape, from the genesis hash", async () => {
    const path = join(dir, "audit.log");
    const log = fileAuditLog({ path, clock });
    await Promise.all([
      log.append({ actor: "alice", action: "http.authorize", resource: "security/auditor", decision: "allow" }),
      log.append({
        action: "trust.verify",
        decision: "refused",
        reason: "NG_ERR_SIGNATURE_INVALID",
        traceId: "ab".repeat(16),
      }),
    ]);
    await log.append({ action: "agent.run", decision: "succeeded", digest: `sha256:${"1".repeat(64)}` });
    await log.close();
    const records = await read(path);
    expect(records.map((record) => Object.keys(record))).toEqual(
      records.map(() => [
        "seq",
        "time",
        "actor",
        "action",
        "resource",
        "decision",
        "reason",
        "digest",
        "traceId",
        "prev",
        "hash",
      ]),
    );
    expect(records.map((record) => record.seq)).toEqual([1, 2, 3]);
    expect(records[0]).toMatchObject({
      time: "2026-06-01T00:00:00.000Z",
      actor: "alice",
      reason: null,
      prev: AUDIT_GENESIS_HASH,
    });
    expect(records[1]!.prev).toBe(records[0]!.hash);
    expect(records[2]!.prev).toBe(records[1]!.hash);
    expect(await verifyAuditLog([path])).toMatchObject({
      ok: true,
      records: 3,
      firstSeq: 1,
      lastSeq: 3,
      head: records[2]!.hash,
    });
  });

  it("continues the chain of an existing log, cutting a torn last line", async () => {
    const path = join(dir, "audit.log");
    const first = fileAuditLog({ path, clock });
    await first.append({ action: "a", decision: "allow" });
    await first.close();
    await appendFile(path, '{"seq":2,"tim'); // a crash mid-write
    const second = fileAuditLog({ path, clock });
    await second.append({ action: "b", decision: "deny" });
    await second.close();
    const records = await read(path);
    expect(records.map((record) => record.seq)).toEqual([1, 2]);
    expect((await verifyAuditLog([path])).ok).toBe(true);
  });

  it("refuses to chain onto a last record that does not match its hash", async () => {
    const path = join(dir, "audit.log");
    const first = fileAuditLog({ path, clock });
    await first.append({ action: "a", decision: "allow" });
    await first.close();
    await writeFile(path, (await readFile(path, "utf8")).replace('"allow"', '"deny"'));
    const second = fileAuditLog({ path, clock });
    const error = await Promise.resolve(second.append({ action: "b", decision: "allow" })).catch((caught) => caught);
    expect(NextGenError.is(error, "NG_ERR_AUDIT_LOG_INVALID")).toBe(true);
    // Failed for good: later appends are refused with the same error, nothing is written.
    await expect(second.append({ action: "c", decision: "allow" })).rejects.toBe(error);
    await second.close();
    expect((await read(path)).length).toBe(1);
  });

  it("refuses to chain onto a last line whose values are intact but whose text was edited", async () => {
    const path = join(dir, "audit.log");
    const first = fileAuditLog({ path, clock });
    await first.append({ action: "a", decision: "allow" });
    await first.close();
    // A repeated key before the real one: JSON.parse keeps the last (so the hash still matches),
    // a parser that keeps the first reads "deny".
    await writeFile(
      path,
      (await readFile(path, "utf8")).replace('"decision":"allow"', '"decision":"deny","decision":"allow"'),
    );
    const second = fileAuditLog({ path, clock });
    await expect(second.append({ action: "b", decision: "allow" })).rejects.toMatchObject({
      code: "NG_ERR_AUDIT_LOG_INVALID",
      message: expect.stringMatching(/exact form/),
    });
    await second.close();
  });

  it("rotates past maxBytes and keeps one chain across the files", async () => {
    const path = join(dir, "audit.log");
    const log = fileAuditLog({ path, clock, maxBytes: 1000 });
    for (let index = 0; index < 12; index++)
      await log.append({ action: "agent.run", resource: `run-${index}`, decision: "succeeded" });
    await log.close();
    const logFiles = async (): Promise<string[]> => {
      const rotated = (await readdir(dir)).filter((name) => name !== "audit.log");
      rotated.sort((a, b) => Number(a.split(".")[2]) - Number(b.split(".")[2]));
      return [...rotated.map((name) => join(dir, name)), path];
    };
    const files = await logFiles();
    expect(files.length).toBeGreaterThan(2);
    expect(await verifyAuditLog(files)).toMatchObject({ ok: true, records: 12, lastSeq: 12 });
    // Out of order, the chain shows it.
    expect((await verifyAuditLog([path, ...files.slice(0, -1)])).ok).toBe(false);
    // A restart after rotation continues the same chain.
    const again = fileAuditLog({ path, clock, maxBytes: 1000 });
    await again.append({ action: "agent.run", decision: "succeeded" });
    await again.close();
    expect(await verifyAuditLog(await logFiles())).toMatchObject({ ok: true, records: 13 });
  });

  it("cuts overlong fields so one record stays small", async () => {
    const path = join(dir, "audit.log");
    const log = fileAuditLog({ path, clock, maxFieldLength: 10 });
    await log.append({ action: "agent.run", decision: "failed", reason: "x".repeat(5000) });
    await log.close();
    expect((await read(path))[0]!.reason).toBe(`${"x".repeat(9)}…`);
    expect((await verifyAuditLog([path])).ok).toBe(true);
  });

  it("keeps writing when a field holds a lone surrogate or its cut splits a pair (U+FFFD instead)", async () => {
    const path = join(dir, "audit.log");
    const log = fileAuditLog({ path, clock, maxFieldLength: 10 });
    // The cut keeps 9 characters: the 9th is the high half of the emoji.
    await log.append({ action: "tool.call", decision: "refused", reason: `${"x".repeat(8)}😀😀` });
    await log.append({ actor: "torn \uD83D", action: "agent.run", decision: "succeeded" });
    await log.close();
    const [first, second] = await read(path);
    expect(first!.reason).toBe(`${"x".repeat(8)}\uFFFD…`);
    expect(second!.actor).toBe("torn \uFFFD");
    expect(await verifyAuditLog([path])).toMatchObject({ ok: true, records: 2 });
  });

  it("refuses appends after close, and bad options and events with coded errors", async () => {
    const log = fileAuditLog({ path: join(dir, "audit.log"), fsync: "never" });
    await log.close();
    await log.close();
    await expect(log.append({ action: "a", decision: "allow" })).rejects.toMatchObject({ code: "NG_ERR_AUDIT_CLOSED" });
    expect(() => fileAuditLog({ path: "" })).toThrow(/options.path/);
    expect(() => fileAuditLog({ path: "x", fsync: "sometimes" as "always" })).toThrow(/options.fsync/);
    expect(() => fileAuditLog({ path: "x", maxBytes: 0 })).toThrow(/options.maxBytes/);
    const open = fileAuditLog({ path: join(dir, "b.log") });
    await expect(open.append({ action: 1 } as never)).rejects.toMatchObject({ code: "NG_ERR_OPTIONS_INVALID" });
    await open.close();
  });

  it("fails with NG_ERR_AUDIT_WRITE when the log cannot be written", async () => {
    const log = fileAuditLog({ path: join(dir, "missing", "audit.log") });
    await expect(log.append({ action: "a", decision: "allow" })).rejects.toMatchObject({ code: "NG_ERR_AUDIT_WRITE" });
    await log.close();
  });

  // Linux shows an open file's flags in /proc/self/fdinfo: the durability of `always` rests on O_DSYNC there.
  it.runIf(process.platform === "linux")(
    'opens the log O_DSYNC under fsync "always" only (each batch write returns once on disk)',
    async () => {
      const flagsOf = async (path: string): Promise<number> => {
        for (const fd of await readdir("/proc/self/fd")) {
          const target = await readlink(`/proc/self/fd/${fd}`).catch(() => "");
          if (target !== path) continue;
          const info = await readFile(`/proc/self/fdinfo/${fd}`, "utf8");
          return Number.parseInt(/^flags:\s+([0-7]+)/m.exec(info)![1]!, 8);
        }
        throw new Error(`${path} is not open`);
      };
      const always = fileAuditLog({ path: join(dir, "always.log") });
      const interval = fileAuditLog({ path: join(dir, "interval.log"), fsync: "interval" });
      await always.append({ action: "a", decision: "allow" });
      await interval.append({ action: "a", decision: "allow" });
      expect((await flagsOf(join(dir, "always.log"))) & constants.O_DSYNC).toBe(constants.O_DSYNC);
      expect((await flagsOf(join(dir, "interval.log"))) & constants.O_DSYNC).toBe(0);
      await always.close();
      await interval.close();
      expect(await read(join(dir, "always.log"))).toHaveLength(1);
    },
  );

  it("syncs on the interval policy too (records are readable and verified after close)", async () => {
    const path = join(dir, "audit.log");
    const log = fileAuditLog({ path, fsync: "interval", fsyncIntervalMs: 60_000 });
    await log.append({ action: "a", decision: "allow" });
    await log.append({ action: "b", decision: "allow" });
    await log.close();
    expect(await verifyAuditLog([path])).toMatchObject({ ok: true, records: 2 });
  });
});

describe("verifyAuditLog", () => {
  async function writeLog(count: number): Promise<{ path: string; lines: string[] }> {
    const path = join(dir, "audit.log");
    const log = fileAuditLog({ path, clock });
    for (let index = 0; index < count; index++)
      await log.append({ action: "agent.run", resource: `r${index}`, decision: "succeeded" });
    await log.close();
    return { path, lines: (await readFile(path, "utf8")).trimEnd().split("\n") };
  }

  it("names the first broken record for an edit, a deletion, a reordering and garbage", async () => {
    const { path, lines } = await writeLog(5);
    const cases: [string[], number, RegExp][] = [
      [lines.map((line, index) => (index === 2 ? line.replace('"r2"', '"r9"') : line)), 3, /edited/],
      [lines.filter((_, index) => index !== 1), 2, /deleted or reordered/],
      [[lines[0]!, lines[2]!, lines[1]!, lines[3]!, lines[4]!], 2, /deleted or reordered/],
      [[lines[0]!, "not json", ...lines.slice(1)], 2, /not JSON/],
      [[lines[0]!, JSON.stringify({ seq: 2 }), ...lines.slice(1)], 2, /fields/],
      [lines.slice(1), 1, /^$/],
    ];
    for (const [content, line, reason] of cases) {
      await writeFile(path, `${content.join("\n")}\n`);
      const result = await verifyAuditLog([path]);
      if (reason.source === "^$") {
        // A log whose first records were rotated away still verifies on its own.
        expect(result.ok).toBe(true);
        continue;
      }
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.broken.line).toBe(line);
        expect(result.broken.reason).toMatch(reason);
      }
    }
  });

  it("detects edits that keep every parsed value: a repeated key, whitespace, an escape", async () => {
    const { path, lines } = await writeLog(3);
    const edits = [
      // JSON.parse keeps the last "resource" (the hash still matches); a first-wins parser reads r7.
      lines[1]!.replace('"resource":"r1"', '"resource":"r7","resource":"r1"'),
      lines[1]!.replace('"resource":"r1"', '"resource": "r1"'),
      lines[1]!.replace('"resource":"r1"', '"resource":"\\u00721"'),
      `${lines[1]!}\r`,
    ];
    for (const edited of edits) {
      expect(JSON.parse(edited)).toEqual(JSON.parse(lines[1]!)); // the same values
      await writeFile(path, `${[lines[0], edited, lines[2]].join("\n")}\n`);
      const result = await verifyAuditLog([path]);
      expect(result).toMatchObject({
        ok: false,
        broken: { line: 2, seq: 2, reason: expect.stringMatching(/exact form/) },
      });
    }
    await writeFile(path, `${lines.join("\n")}\n`);
    expect((await verifyAuditLog([path])).ok).toBe(true);
  });

  it("detects a re-hashed record whose prev no longer chains, and a forged first record", async () => {
    const { path, lines } = await writeLog(3);
    const first = JSON.parse(lines[0]!) as AuditRecord;
    const forged = { ...first, prev: `sha256:${"f".repeat(64)}` };
    const { auditRecordHash } = await import("./audit-hash.js");
    forged.hash = auditRecordHash(forged);
    await writeFile(path, `${[JSON.stringify(forged), ...lines.slice(1)].join("\n")}\n`);
    const result = await verifyAuditLog([path]);
    expect(result).toMatchObject({ ok: false, broken: { line: 1, seq: 1 } });
  });

  it("reports a torn last line and a missing file", async () => {
    const { path } = await writeLog(2);
    await truncate(path, (await readFile(path)).length - 5);
    expect(await verifyAuditLog([path])).toMatchObject({ ok: false, records: 1, broken: { line: 2 } });
    expect((await verifyAuditLog([join(dir, "nope.log")])).ok).toBe(false);
  });
});
