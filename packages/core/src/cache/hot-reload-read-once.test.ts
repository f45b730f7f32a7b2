import diagnosticsChannel from "node:diagnostics_channel";
import { describe, expect, it } from "vitest";
import { TEMPLATE_RELOAD_CHANNEL } from "../diagnostics/channels.js";
import type { TemplateReloadMessage } from "../diagnostics/payloads.js";
import { createAgentFactory } from "../factory/create-agent-factory.js";
import { SpecialistAgent } from "../factory/test-kinds.js";
import { memorySource } from "../source/memory-source.js";
import type { SourceChange, TemplateSource } from "../source/template-source.js";
import type { AgentTemplate } from "../template/types.js";
import { trustPolicy } from "../trust/trust-policy.js";
import { memoryTier } from "./memory-tier.js";

const unsigned = trustPolicy({ version: 1, keys: [], requireSignatures: false });
const template = (version: string, description: string): AgentTemplate => ({
  schemaVersion: 1,
  id: "ops/watcher",
  version,
  name: "Watcher",
  role: "specialist",
  description,
});

/** A source whose content the test replaces and announces, counting every read of the id. */
function announcingSource(first: AgentTemplate) {
  let inner: TemplateSource = memorySource([first]);
  let listener: ((change: SourceChange) => void) | undefined;
  const counted = {
    reads: 0,
    source: {
      name: "announcing",
      get: (...args: Parameters<TemplateSource["get"]>) => {
        counted.reads++;
        return inner.get(...args);
      },
      list: (options?: Parameters<TemplateSource["list"]>[0]) => inner.list(options),
      watch: (onChange: (change: SourceChange) => void) => {
        listener = onChange;
        return () => {
          listener = undefined;
        };
      },
    } satisfies TemplateSource,
    replace(next: AgentTemplate) {
      inner = memorySource([next]);
      listener?.({ id: next.id, type: "updated", location: `memory:${next.id}` });
    },
  };
  return counted;
}

function nextReload(): Promise<TemplateReloadMessage> {
  return new Promise((resolve) => {
    const onReload = (message: unknown): void => {
      diagnosticsChannel.unsubscribe(TEMPLATE_RELOAD_CHANNEL, onReload);
      resolve(message as TemplateReloadMessage);
    };
    diagnosticsChannel.subscribe(TEMPLATE_RELOAD_CHANNEL, onReload);
  });
}

/** A factory over `watched` with hot reload on (and a memory tier, so the reload goes through the cache). */
function reloadingFactory(watched: ReturnType<typeof announcingSource>) {
  return createAgentFactory({
    source: watched.source,
    kinds: { specialist: SpecialistAgent },
    trust: unsigned,
    cache: { layers: [memoryTier()], hotReload: true },
  });
}

describe("hot reload", () => {
  it("reads an update once: the bytes it checked are the ones the cache takes", async () => {
    const watched = announcingSource(template("1.0.0", "first"));
    const factory = reloadingFactory(watched);
    expect((await factory.create("ops/watcher")).template.description).toBe("first");
    const readsBefore = watched.reads;
    const reloaded = nextReload();
    watched.replace(template("1.1.0", "second"));
    expect(await reloaded).toMatchObject({ templateId: "ops/watcher", outcome: "applied", version: "1.1.0" });
    expect(watched.reads - readsBefore).toBe(1);
    const agent = await factory.create("ops/watcher");
    expect(agent.template.description).toBe("second");
    expect(agent.template.version).toBe("1.1.0");
    expect(watched.reads - readsBefore).toBe(1); // warm: the swap loaded it
    await factory.close();
  });

  it("keeps the last good version when an update is refused", async () => {
    const watched = announcingSource(template("1.0.0", "first"));
    const factory = reloadingFactory(watched);
    await factory.create("ops/watcher");
    const reloaded = nextReload();
    watched.replace({ ...template("1.1.0", "second"), role: "" });
    expect(await reloaded).toMatchObject({ outcome: "refused", code: "NG_ERR_TEMPLATE_INVALID" });
    expect((await factory.create("ops/watcher")).template.version).toBe("1.0.0");
    await factory.close();
  });
});
