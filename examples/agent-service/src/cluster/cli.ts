// `npm run cluster -w @example/agent-service -- <up|down|bluegreen|rollback|chaos> --dir <dir>`:
// a local cluster of real parts (Redis, N replicas, HAProxy) on loopback. Prints one JSON
// report on stdout; exits 1 with the reason on stderr when a command fails, and 2 when a
// release or chaos run saw failed requests.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { chaos } from "./cluster-chaos.js";
import { switchColor } from "./cluster-release.js";
import { down, up } from "./cluster-up-down.js";

const USAGE = `usage: cluster <command> --dir <dir> [options]
  up --replicas N         Redis (or REDIS_URL), N replicas, HAProxy; writes <dir>/cluster.json (default N=3)
  down                    stops everything up started, by pid
  bluegreen               starts the other colour with a newly signed template set, switches, drains the old one
  rollback                switches back to the previous colour's release
  chaos --kill 25%        SIGKILLs that share of the replicas at 1/3 of --duration, restarts them at 2/3
options: --duration 60s (chaos), --concurrency 8 (load), --tail 2s (load after a switch)`;

/** `60s`, `1500ms`, `2m` or a number of milliseconds. */
function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new Error(`--${option} must be a duration such as 60s or 1500ms, got ${JSON.stringify(text)}`);
  const value = Number(match[1]);
  return Math.round(match[2] === "m" ? value * 60_000 : match[2] === "s" ? value * 1_000 : value);
}

/** `25%` or `0.25`. */
function parseShare(text: string): number {
  const share = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (!Number.isFinite(share) || share <= 0 || share > 1)
    throw new Error(`--kill must be a share such as 25%, got ${JSON.stringify(text)}`);
  return share;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: "string" },
      replicas: { type: "string", default: "3" },
      kill: { type: "string", default: "25%" },
      duration: { type: "string", default: "60s" },
      concurrency: { type: "string", default: "8" },
      tail: { type: "string", default: "2s" },
    },
  });
  const [command] = positionals;
  if (!command || !values.dir) throw new Error(USAGE);
  const dir = resolve(values.dir);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
    throw new Error("--concurrency must be an integer from 1 to 256");
  let report: object;
  switch (command) {
    case "up":
      report = await up(dir, Number(values.replicas));
      break;
    case "down":
      report = await down(dir);
      break;
    case "bluegreen":
    case "rollback":
      report = await switchColor(dir, {
        resign: command === "bluegreen",
        concurrency,
        tailMs: parseDuration(values.tail!, "tail"),
      });
      break;
    case "chaos":
      report = await chaos(dir, {
        killShare: parseShare(values.kill!),
        durationMs: parseDuration(values.duration!, "duration"),
        concurrency,
      });
      break;
    default:
      throw new Error(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return ((report as { failed?: number }).failed ?? 0) > 0 ? 2 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`cluster: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
