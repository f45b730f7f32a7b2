import type { TemplateTier } from "@nextgen/core";

const ARCHIVE_ID = /^\d{8}T\d{9}Z-(critical|production|development|temporary)-[0-9a-f]{8}$/;

/** `20261121T022300123Z-production-1a2b3c4d`: sortable creation time, tier, content hash prefix. */
export function archiveId(createdMs: number, tier: TemplateTier, contentSha256: string): string {
  const stamp = new Date(createdMs).toISOString().replace(/[-:]/g, "").replace(".", "");
  return `${stamp}-${tier}-${contentSha256.slice(0, 8)}`;
}

/** Whether `value` has the shape of an archive id (anything else is read as a Git revision). */
export function isArchiveId(value: string): boolean {
  return ARCHIVE_ID.test(value);
}
