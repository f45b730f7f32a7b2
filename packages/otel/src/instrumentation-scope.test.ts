import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { INSTRUMENTATION_SCOPE } from "./instrument.js";

it("reports the package's own name and version as the instrumentation scope", () => {
  // A release bumps package.json; the scope must follow, or backends mislabel the telemetry.
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    name: string;
    version: string;
  };
  expect(INSTRUMENTATION_SCOPE).toEqual({ name: manifest.name, version: manifest.version });
});
