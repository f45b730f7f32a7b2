import type { TemplateDigest } from "@nextgen/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type BackupManager,
  type BackupManifest,
  createBackupManager,
  planRetention,
  type RetentionPlan,
  type RetentionPolicy,
} from "./index.js";

describe("public types of @nextgen/backup", () => {
  it("createBackupManager takes one options object and returns a BackupManager", () => {
    expectTypeOf(createBackupManager).parameter(0).toHaveProperty("source").toEqualTypeOf<string>();
    expectTypeOf(createBackupManager).returns.toEqualTypeOf<BackupManager>();
    expectTypeOf<BackupManager["archive"]>().returns.resolves.toEqualTypeOf<BackupManifest>();
    expectTypeOf<BackupManifest["templates"][number]["digest"]>().toEqualTypeOf<TemplateDigest>();
  });

  it("archive requires a known tier and takes the key as bytes", () => {
    type ArchiveArgument = Parameters<BackupManager["archive"]>[0];
    expectTypeOf<{ tier: "critical" }>().toMatchTypeOf<ArchiveArgument>();
    expectTypeOf<{ tier: "forever" }>().not.toMatchTypeOf<ArchiveArgument>();
    expectTypeOf<ArchiveArgument["encryptionKey"]>().toEqualTypeOf<Uint8Array | undefined>();
  });

  it("planRetention is pure: candidates, policy and now in, a plan out", () => {
    expectTypeOf(planRetention).parameter(1).toEqualTypeOf<RetentionPolicy>();
    expectTypeOf(planRetention).parameter(2).toEqualTypeOf<number>();
    expectTypeOf(planRetention).returns.toEqualTypeOf<RetentionPlan>();
  });
});
