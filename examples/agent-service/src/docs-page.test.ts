import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./test-support/service-harness.js";

// Debian's chromium (installed by .ci/run). Under CI (CI=1 or NEXTGEN_REQUIRE_CHROMIUM=1) a
// missing browser fails the test instead of skipping it.
const CHROMIUM = "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const available = existsSync(CHROMIUM);
const required = process.env.NEXTGEN_REQUIRE_CHROMIUM === "1" || (process.env.CI ?? "") !== "";
if (!available && !required)
  console.warn(`${CHROMIUM} not found: skipping the /docs browser test (apt-get install -y chromium)`);

describe.skipIf(!available && !required)("the /docs page in a real browser", () => {
  let api: Harness;
  beforeAll(async () => {
    api = await startHarness();
  });
  afterAll(async () => {
    await api?.close();
  });

  it("renders Swagger UI listing every operation of the OpenAPI document", async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 30_000 });
    try {
      const page = await browser.newPage();
      const failures: string[] = [];
      page.on("pageerror", (error) => failures.push(error.message));
      const response = await page.goto(`${api.url}/docs`, { waitUntil: "load", timeout: 30_000 });
      expect(response?.status()).toBe(200);
      await page.waitForSelector(".opblock-summary", { timeout: 30_000 });
      const operations = await page.$$eval(".opblock-summary", (blocks) =>
        blocks.map((block) => {
          const method = block.querySelector(".opblock-summary-method")?.textContent?.trim() ?? "";
          const path =
            block.querySelector(".opblock-summary-path")?.getAttribute("data-path") ??
            block.querySelector(".opblock-summary-path")?.textContent?.trim() ??
            "";
          return `${method} ${path.replace(/\u200b/g, "")}`;
        }),
      );
      expect(operations.sort()).toEqual(api.openapi.operations().sort());
      expect(await page.title()).toMatch(/Swagger UI/);
      expect(failures).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
