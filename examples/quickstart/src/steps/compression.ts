import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { createZstdCodec, defaultDictionary, dictionaryId, readJsonZst, writeJsonZst } from "@nextgen/compression";
import type { QuickstartStep } from "../context.js";
import { renderTable } from "../table.js";

async function jsonFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

interface Row {
  template: string;
  json: number;
  plain: number;
  packed: number;
}

/**
 * Compression: store the sample templates as `.json.zst` with the shipped dictionary (in the
 * run's work directory), read each back, and print the sizes before and after.
 */
export const compressionStep: QuickstartStep = async (context) => {
  context.heading("Compression: .json.zst with the default dictionary");
  const dictionary = await defaultDictionary();
  const codec = createZstdCodec({ dictionaries: [dictionary] });
  const plain = createZstdCodec();
  const target = join(context.workDir, "templates-zst");
  const rows: Row[] = [];
  for (const file of await jsonFiles(context.samplesDir)) {
    const name = relative(context.samplesDir, file).replace(/\.json$/, "");
    const bytes = new Uint8Array(await readFile(file));
    const output = join(target, `${name}.json.zst`);
    await mkdir(dirname(output), { recursive: true });
    await writeJsonZst(output, bytes, codec);
    // Read back through the codec: checksum verified, size bounded, dictionary picked by id.
    const template = (await readJsonZst(output, codec)) as { id?: unknown };
    if (typeof template.id !== "string") throw new Error(`${output} did not read back as a template`);
    const json = bytes.byteLength;
    rows.push({
      template: name,
      json,
      plain: (await plain.encode(bytes)).byteLength,
      packed: (await stat(output)).size,
    });
  }
  const total = (key: "json" | "plain" | "packed"): number => rows.reduce((sum, row) => sum + row[key], 0);
  const ratio = (part: number, whole: number): string => (part / whole).toFixed(3);
  console.log(
    `backend    ${codec.backend}, dictionary id ${dictionaryId(dictionary)} (${dictionary.byteLength} bytes)`,
  );
  console.log(`stored in  ${target}`);
  console.log(
    renderTable(
      [
        { header: "template", cell: (row: Row) => row.template },
        { header: ".json", cell: (row: Row) => String(row.json), right: true },
        { header: "zstd", cell: (row: Row) => String(row.plain), right: true },
        { header: "zstd+dict", cell: (row: Row) => String(row.packed), right: true },
        { header: "ratio", cell: (row: Row) => ratio(row.packed, row.json), right: true },
      ],
      [...rows, { template: "total", json: total("json"), plain: total("plain"), packed: total("packed") }],
    ),
  );
  console.log(
    `total      ${total("json")} → ${total("packed")} bytes: ${ratio(total("packed"), total("json"))} with the dictionary, ${ratio(total("plain"), total("json"))} without`,
  );
};
