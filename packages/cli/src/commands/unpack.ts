import { readFile } from "node:fs/promises";
import { createZstdCodec } from "@nextgen/compression";
import { OptionsError } from "@nextgen/core";
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

interface UnpackFlags extends DictionaryFlags {
  maxOutputBytes: number;
  force?: boolean;
  json?: boolean;
}

/**
 * `nextgen unpack <files…>`: decompresses `<file>.zst` to `<file>` atomically, refusing
 * corrupt, oversize and unknown-dictionary frames. Exit code 1 if any file failed.
 */
export function registerUnpack(program: Command): void {
  const unpack = program.command("unpack");
  withDictionaryOption(unpack, "dictionary frames may name (the shipped one is always included)");
  unpack
    .description("Decompress .zst files (e.g. templates packed with nextgen pack or the zstd command).")
    .argument("<files...>", ".zst files to decompress (directories: every *.zst below)")
    .option(
      "--max-output-bytes <bytes>",
      "refuse files that decode to more",
      integerFlag("--max-output-bytes", 0, 2 ** 30),
      16 * 1024 * 1024,
    )
    .option("--force", "overwrite existing output files")
    .option("--json", "print a JSON array: one record per file, failures with their error code")
    .addHelpText("after", "\nExample:\n  nextgen unpack --dictionary templates.zdict templates/security/*.json.zst")
    .action(async (files: string[], flags: UnpackFlags) => {
      const dictionaries = await withDefaultDictionary(dictionaryFiles(flags));
      const codec = createZstdCodec({ dictionaries, maxOutputBytes: flags.maxOutputBytes });
      const records: PackRecord[] = [];
      const failures: FileFailure[] = [];
      for (const file of await expandPaths(files, ".zst")) {
        try {
          if (!file.endsWith(".zst")) throw new OptionsError("<files>", "must end in .zst");
          const frame = new Uint8Array(await readFile(file));
          const bytes = await codec.decode(frame);
          const output = file.slice(0, -".zst".length);
          await writeOutputFile(output, bytes, flags.force === true);
          records.push({ file, output, bytesIn: frame.byteLength, bytesOut: bytes.byteLength });
        } catch (error) {
          failures.push(reportFileError(file, error));
        }
      }
      if (flags.json) writeOut(`${JSON.stringify([...records, ...failures], null, 2)}\n`);
      else for (const { output, bytesOut } of records) writeOut(`${output}: ${bytesOut} bytes\n`);
    });
}
