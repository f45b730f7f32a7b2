// The directory source's suites again with `reads: "async"` (libuv's thread pool): both
// modes must serve, refuse and report exactly the same files the same way.
import { vi } from "vitest";

vi.mock("./directory-source.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("./directory-source.js")>();
  return {
    ...real,
    directorySource: (dir: string, options: import("./directory-source.js").DirectorySourceOptions = {}) =>
      real.directorySource(dir, { reads: "async", ...options }),
  };
});

await import("./directory-source.test.js");
await import("./special-files.test.js");
