import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { testStateStore } from "../testing/state-store-suite.js";
import { fileStateStore } from "./file-state-store.js";
import { memoryStateStore } from "./memory-state-store.js";
import type { StateStore } from "./state-store.js";

// Memory and file stores hold their marks in one process (the file store reads its file
// once): replicas in one process share one instance, which is how a host shares them.
const memoryStores = new Map<string, StateStore>();
testStateStore("memoryStateStore", ({ namespace }) => {
  const store = memoryStores.get(namespace) ?? memoryStateStore();
  memoryStores.set(namespace, store);
  return store;
});

const directory = await mkdtemp(join(tmpdir(), "nextgen-state-suite-"));
afterAll(() => rm(directory, { recursive: true, force: true }));
const fileStores = new Map<string, StateStore>();
testStateStore("fileStateStore", ({ namespace }) => {
  const store = fileStores.get(namespace) ?? fileStateStore(join(directory, `${namespace}.json`));
  fileStores.set(namespace, store);
  return store;
});
