import { readFile } from "node:fs/promises";
import { dictionaryId, trainDictionary } from "@nextgen/compression";
import { OptionsError } from "@nextgen/core";
import { type Command, Option } from "commander";
import { writeErr, writeOut } from "../terminal-text.js";
import { findJsonFiles, integerFlag, writeOutputFile } from "./compression-support.js";

interface DictTrainFlags {
  out: string;
  maxSize: number;
  id?: number;
  method: "auto" | "zstd-cli" | "raw";
  force?: boolean;
  json?: boolean;
}

/**
 * `nextgen dict train <dir> -o dict.zstd`: trains a zstd dictionary on every `*.json` file
 * under `<dir>` (with `zstd --train` when it is installed, else a raw-content dictionary).
 */
export function registerDict(program: Command): void {
  const dict = program.command("dict").description("Train zstd dictionaries for .json.zst templates.");
  dict
    .command("train")
    .description("Train a zstd dictionary on the *.json templates under <dir> (recursively).")
    .argument("<dir>", "directory of sample templates")
    .requiredOption("-o, --out <file>", "where to write the dictionary")
    .option("--max-size <bytes>", "largest dictionary size", integerFlag("--max-size", 256, 2 ** 26), 16_384)
    .option("--id <id>", "dictionary id to write (zstd format only)", integerFlag("--id", 32_768, 2 ** 31 - 1))
    .addOption(
      new Option("--method <method>", "zstd --train, raw content, or auto (CLI when installed)")
        .choices(["auto", "zstd-cli", "raw"])
        .default("auto"),
    )
    .option("--force", "overwrite an existing dictionary file")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nExample:\n  nextgen dict train ./templates -o templates.zdict\n  nextgen pack --dictionary templates.zdict templates/**/*.json",
    )
    .action(async (directory: string, flags: DictTrainFlags) => {
      const files = await findJsonFiles(directory);
      if (files.length === 0) throw new OptionsError("<dir>", `holds no *.json file: ${directory}`);
      const samples = await Promise.all(files.map(async (file) => new Uint8Array(await readFile(file))));
      const dictionary = await trainDictionary(samples, {
        maxBytes: flags.maxSize,
        method: flags.method,
        ...(flags.id === undefined ? {} : { dictionaryId: flags.id }),
      });
      await writeOutputFile(flags.out, dictionary, flags.force === true);
      const id = dictionaryId(dictionary);
      if (id === 0 && flags.method === "auto") {
        // "auto" falls back silently in the library; a person at a terminal should know why the
        // dictionary is weaker and has no id.
        const ignoredId = flags.id === undefined ? "" : ` (--id ${flags.id} ignored: raw dictionaries have no id)`;
        writeErr(
          `nextgen: note: zstd --train is not installed or refused these ${files.length} samples; wrote a raw-content dictionary${ignoredId}\n`,
        );
      }
      const result = {
        file: flags.out,
        bytes: dictionary.byteLength,
        id,
        format: id === 0 ? "raw" : "zstd",
        samples: files.length,
      };
      if (flags.json) writeOut(`${JSON.stringify(result, null, 2)}\n`);
      else {
        const kind = id === 0 ? "raw-content dictionary (id 0)" : `zstd dictionary id ${id}`;
        writeOut(`${flags.out}: ${kind}, ${dictionary.byteLength} bytes, from ${files.length} samples\n`);
      }
    });
}
