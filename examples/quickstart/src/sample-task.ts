import type { ReviewTask } from "./review-task.js";

const billing = `import { readFileSync } from "node:fs";
import _ from "lodash";

const AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const config = { password: "hunter2-but-longer", region: "eu-west-1" };
const SUPPORT = "billing-support@acme-corp.io";

export function loadRates(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

export function invoiceTotal(lines, customer, rates) {
  let total = 0;
  for (const line of lines) {
    if (line.kind === "seat" && customer.plan !== "free") total += rates.seat * line.quantity;
    else if (line.kind === "usage" || line.kind === "overage") total += (rates[line.kind] ?? 0) * line.quantity;
    else if (line.kind === "discount") total -= customer.vip ? line.amount * 2 : line.amount;
    while (total < 0) total += 1;
  }
  console.log("total", total);
  return customer.currency === "EUR" ? total : total * (rates.fx ?? 1);
}
`;

const billingTest = `import { invoiceTotal } from "./billing.js";
test("invoiceTotal sums seats", () => {
  expect(invoiceTotal([{ kind: "seat", quantity: 2 }], { plan: "team" }, { seat: 10 })).toBe(20);
});
`;

/** The change every sample agent reviews: a billing module with a few planted problems. */
export const sampleTask: ReviewTask = {
  title: "Add invoice totals to billing",
  diff: [
    "--- a/src/billing.js",
    "+++ b/src/billing.js",
    ...billing.split("\n").map((line) => `+${line}`),
    "--- a/src/billing.test.js",
    "+++ b/src/billing.test.js",
    ...billingTest.split("\n").map((line) => `+${line}`),
    "--- a/package.json",
    "+++ b/package.json",
    '-    "lodash": "4.17.21",',
    '+    "lodash": "4.17.15",',
    '+    "pdf-kit-gpl": "2.1.0",',
  ].join("\n"),
  files: [
    { path: "src/billing.js", content: billing },
    { path: "src/billing.test.js", content: billingTest },
  ],
  dependencies: { lodash: "4.17.15", "pdf-kit-gpl": "2.1.0", zod: "3.23.8" },
  licenses: { lodash: "MIT", "pdf-kit-gpl": "GPL-3.0-only", zod: "MIT" },
};
