import type { NextGenError, Signer, TemplateDigest, TrustPolicy, TrustPolicyDocument } from "@nextgen/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type BackupError,
  type BackupErrorCode,
  type BackupErrorReason,
  type BackupManager,
  type BackupManagerOptions,
  type BackupManifest,
  createBackupManager,
  planRetention,
  type RestoreOptions,
  type RetentionPlan,
  type RetentionPolicy,
  type TrustFilesMode,
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

  it("authenticates archives with core's Signer and trust policy, and refuses with a typed reason", () => {
    expectTypeOf<BackupManagerOptions["signer"]>().toEqualTypeOf<Signer | undefined>();
    expectTypeOf<BackupManagerOptions["trust"]>().toEqualTypeOf<TrustPolicy | TrustPolicyDocument | undefined>();
    expectTypeOf<BackupManagerOptions["requireEncryption"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<RestoreOptions["trustFiles"]>().toEqualTypeOf<TrustFilesMode | undefined>();
    expectTypeOf<BackupError>().toMatchTypeOf<NextGenError<BackupErrorCode>>();
    expectTypeOf<BackupError["code"]>().toEqualTypeOf<BackupErrorCode>();
    expectTypeOf<BackupError["reason"]>().toEqualTypeOf<BackupErrorReason>();
    expectTypeOf<"encryption-downgrade">().toMatchTypeOf<BackupErrorReason>();
    expectTypeOf<"whatever">().not.toMatchTypeOf<BackupErrorReason>();
  });

  it("planRetention is pure: candidates, policy and now in, a plan out", () => {
    expectTypeOf(planRetention).parameter(1).toEqualTypeOf<RetentionPolicy>();
    expectTypeOf(planRetention).parameter(2).toEqualTypeOf<number>();
    expectTypeOf(planRetention).returns.toEqualTypeOf<RetentionPlan>();
  });
});
