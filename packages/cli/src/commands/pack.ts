import { readFile, rm } from "node:fs/promises";
import { createZstdCodec } from "@nextgen/compression";
import type { Command } from "commander";
import { writeOut } from "../terminal-text.js";
import {
  expandPaths,
  type FileFailure,
  integerFlag,
  type PackRecord,
  reportFileError,
  withDefaultDictionary,
  writeOutputFile,
} from "./compression-support.js";
import { type DictionaryFlags, dictionaryFiles, withDictionaryOption } from "./shared-flags.js";

interface PackFlags extends DictionaryFlags {
  level: number;
  force?: boolean;
  keep?: boolean;
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
 * each checked to be JSON first, written atomically, with the shipped default dictionary
 * unless `-D` names others. The `.json` is then removed (unless `--keep`): a directory
 * holding both would leave `directorySource` to pick one. Exit code 1 if any file failed.
 */
export function registerPack(program: Command): void {
  const pack = program.command("pack");
  withDictionaryOption(pack, "dictionary to compress with (the first encodes; default: the shipped one)");
  pack
    .description("Compress JSON templates to .json.zst, replacing each .json (standard zstd frames with a checksum).")
    .argument("<files...>", "JSON files to compress (directories: every *.json below)")
    .option("-l, --level <level>", "zstd level, 1-19", integerFlag("--level", 1, 19), 3)
    .option("--force", "overwrite existing .zst files")
    .option("--keep", "keep each .json beside its new .json.zst")
    .option("--json", "print a JSON array: one record per file, failures with their error code")
    .addHelpText(
      "after",
      "\nExample:\n  nextgen pack templates/\n  nextgen pack --dictionary templates.zdict templates/security/*.json",
    )
    .action(async (files: string[], flags: PackFlags) => {
      const dictionaries = await withDefaultDictionary(dictionaryFiles(flags));
      const codec = createZstdCodec({ level: flags.level, dictionaries });
      const records: PackRecord[] = [];
      const failures: FileFailure[] = [];
      for (const file of await expandPaths(files, ".json")) {
        try {
          const bytes = new Uint8Array(await readFile(file));
          assertJson(bytes);
          const frame = await codec.encode(bytes);
          const output = `${file}.zst`;
          await writeOutputFile(output, frame, flags.force === true);
          // Only once the .zst is complete on disk: the template exists in exactly one form.
          if (flags.keep !== true) await rm(file);
          records.push({
            file,
            output,
            bytesIn: bytes.byteLength,
            bytesOut: frame.byteLength,
            kept: flags.keep === true,
          });
        } catch (error) {
          failures.push(reportFileError(file, error));
        }
      }
      if (flags.json) writeOut(`${JSON.stringify([...records, ...failures], null, 2)}\n`);
      else {
        for (const { output, bytesIn, bytesOut } of records) {
          writeOut(`${output}: ${bytesIn} → ${bytesOut} bytes (${(bytesOut / bytesIn).toFixed(3)})\n`);
        }
      }
    });
}
