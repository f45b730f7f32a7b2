import type { TemplateRef } from "../template/types.js";

/** The raw bytes of one template version as a source holds them. Untrusted until verified. */
export interface SourceEntry {
  /** Template id (matches the path for directory sources). */
  id: string;
  /** Template version. */
  version: string;
  /** JSON bytes (already decoded if the source stores `.json.zst`). */
  bytes: Uint8Array;
  /** Where the bytes came from (a file path, `memory:<id>@<version>`), for error messages. */
  location: string;
}

/** What `TemplateSource.latest` answers. */
export interface LatestVersion {
  /** The highest version the source holds. */
  version: string;
  /** Its bytes, when the source read them to learn the version. */
  entry?: SourceEntry;
}

/** A change seen by a watching source. */
export interface SourceChange {
  /** Template id that changed. */
  id: string;
  /** `updated` for a new or changed file, `removed` for a deleted one. */
  type: "updated" | "removed";
  /** Location of the change. */
  location: string;
}

/** Options of source reads. */
export interface SourceReadOptions {
  /** Aborts a long read. */
  signal?: AbortSignal;
}

/**
 * Where templates come from. Core ships `directorySource` and `memorySource`; a host
 * can implement this for any store (Git, S3, a database). Run `testTemplateSource`
 * from `@nextgen/core/testing` against an implementation.
 */
export interface TemplateSource {
  /** Short name used in health reports and diagnostics. */
  readonly name: string;
  /** Every template version the source holds. */
  list(options?: SourceReadOptions): Promise<TemplateRef[]>;
  /**
   * The bytes of `id` at `version`, or of its highest version when `version` is
   * omitted; `undefined` when the source does not hold it.
   */
  get(id: string, version?: string, options?: SourceReadOptions): Promise<SourceEntry | undefined>;
  /**
   * Optional: the highest version of `id` the source holds (the version `get(id)` would
   * return), or `undefined` when it holds none; with its `entry` when the source had to
   * read it to know (a `directorySource`'s `<id>.json`), so that it is not read twice.
   * With it, the factory asks the source which version is the latest and reads that
   * `id@version` through the cache tiers; without it, a create of a bare id reads the
   * source. Either way a cache tier never decides "latest".
   */
  latest?(id: string, options?: SourceReadOptions): Promise<LatestVersion | undefined>;
  /**
   * Optional: a cheap reachability check for `factory.health()`; rejects (with
   * `NG_ERR_SOURCE_READ`) when the source cannot be read. Without it, health calls `list`.
   */
  check?(options?: SourceReadOptions): Promise<void>;
  /** Optional: calls `listener` on changes until the returned function is called. */
  watch?(listener: (change: SourceChange) => void): () => void;
  /** Optional: releases watchers and handles. Idempotent. */
  close?(): Promise<void>;
}
