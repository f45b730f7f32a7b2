import { readFile } from "node:fs/promises";
import { createZstdCodec } from "@nextgen/compression";
import type { Command } from "commander";
import {
  collect,
  expandPaths,
  type FileFailure,
  integerFlag,
  type PackRecord,
  readDictionaries,
  reportFileError,
  writeFileAtomic,
} from "./compression-support.js";

interface PackFlags {
  dict: string[];
  level: number;
  force?: boolean;
  json?: boolean;
}

// Packing is for templates: refuse a file that is not UTF-8 JSON before compressing it.
function assertJson(bytes: Uint8Array): void {
  try {
    JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`not a UTF-8 JSON file (${reason.replace(/\s+/g, " ")})`);
  }
}

/**
 * `nextgen pack <files…>`: compresses JSON files to `<file>.zst` (so `x.json` → `x.json.zst`),
 * each checked to be JSON first, written atomically. Exit code 1 if any file failed.
 */
export function registerPack(program: Command): void {
  program
    .command("pack")
    .description("Compress JSON templates to .json.zst (standard zstd frames with a checksum).")
    .argument("<files...>", "JSON files to compress (directories: every *.json below)")
    .option("-D, --dict <file>", "dictionary to compress with (repeatable: the first encodes)", collect, [])
    .option("-l, --level <level>", "zstd level, 1-19", integerFlag("--level", 1, 19), 3)
    .option("--force", "overwrite existing .zst files")
    .option("--json", "print a JSON array: one record per file, failures with their error code")
    .addHelpText("after", "\nExample:\n  nextgen pack --dict templates.zdict templates/security/*.json")
    .action(async (files: string[], flags: PackFlags) => {
      const dictionaries = await readDictionaries(flags.dict);
      const codec = createZstdCodec({ level: flags.level, dictionaries });
      const records: PackRecord[] = [];
      const failures: FileFailure[] = [];
      for (const file of await expandPaths(files, ".json")) {
        try {
          const bytes = new Uint8Array(await readFile(file));
          assertJson(bytes);
          const frame = await codec.encode(bytes);
          const output = `${file}.zst`;
          await writeFileAtomic(output, frame, flags.force === true);
          records.push({ file, output, bytesIn: bytes.byteLength, bytesOut: frame.byteLength });
        } catch (error) {
          failures.push(reportFileError(file, error));
        }
      }
      if (flags.json) process.stdout.write(`${JSON.stringify([...records, ...failures], null, 2)}\n`);
      else {
        for (const { output, bytesIn, bytesOut } of records) {
          process.stdout.write(`${output}: ${bytesIn} → ${bytesOut} bytes (${(bytesOut / bytesIn).toFixed(3)})\n`);
        }
      }
    });
}
