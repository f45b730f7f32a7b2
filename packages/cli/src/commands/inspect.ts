import { readFile } from "node:fs/promises";
import { createZstdCodec, defaultDictionary, isZstdFrame } from "@nextgen/compression";
import { scanFrames } from "@nextgen/compression/internal";
import { type AgentTemplate, parseTemplate, templateDigest } from "@nextgen/core";
import { canonicalTemplateBytes } from "@nextgen/core/internal";
import type { Command } from "commander";
import { escapeControl, writeOut } from "../terminal-text.js";
import { readDictionaries, reportFileError } from "./compression-support.js";
import { dictionaryFiles, withDictionaryOption } from "./shared-flags.js";
import { type DecodedSignatureHeader, decodeSignatureHeader } from "./signature-headers.js";

interface InspectFlags {
  json?: boolean;
  dictionary?: string[];
  dict?: string[];
}

const NOT_VERIFIED = "not verified (use nextgen verify)";

const HELP_AFTER = `
Prints what the template says: identity, extends, tools, capabilities, config,
metadata, its sha256: digest (over the canonical bytes, as signatures cover), sizes,
and each signature's decoded protected header. Signatures are decoded only, ${NOT_VERIFIED}.

Examples:
  nextgen inspect templates/security/auditor.json
  nextgen inspect templates/security/auditor@1.2.0.json.zst --json`;

/**
 * `nextgen inspect <file>`: decodes (`.json.zst` too) and strictly parses one template,
 * then prints its fields, digest, sizes and decoded (unverified) signature headers.
 * A malformed file is refused with its `NG_ERR_…` code and exit code 1.
 */
export function registerInspect(program: Command): void {
  const inspect = program.command("inspect");
  withDictionaryOption(inspect, "zstd dictionary for a .json.zst template (the built-in one is always included)");
  inspect
    .description("Show a template's fields, digest, sizes and (unverified) signature headers.")
    .argument("<file>", "template file (.json or .json.zst)")
    .option("--json", "print the report as JSON")
    .addHelpText("after", HELP_AFTER)
    .action(async (file: string, flags: InspectFlags) => {
      try {
        const report = await inspectFile(file, dictionaryFiles(flags));
        writeOut(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      } catch (error) {
        reportFileError(file, error);
      }
    });
}

/** The `--json` document of `nextgen inspect`. */
interface InspectReport {
  file: string;
  id: string;
  version: string;
  // The file's own fields, as written: absent means inherited (or unset), null removes an inherited value.
  extends?: string;
  name?: string | null;
  role?: string | null;
  domain?: string | null;
  description?: string | null;
  tools?: string[] | null;
  capabilities?: string[] | null;
  config?: Record<string, unknown> | null;
  metadata?: Record<string, unknown> | null;
  digest: string;
  canonicalBytes: number;
  fileBytes: number;
  compression?: { format: "zstd"; dictionaryId: number; decodedBytes: number };
  signatures: { verified: false; note: string; headers: DecodedSignatureHeader[] };
}

async function inspectFile(file: string, dictionaryFiles: readonly string[]): Promise<InspectReport> {
  const bytes = new Uint8Array(await readFile(file));
  let json: Uint8Array = bytes;
  let compression: InspectReport["compression"];
  if (isZstdFrame(bytes)) {
    const [frame] = scanFrames(bytes);
    const dictionaries = [...(await readDictionaries(dictionaryFiles)), await defaultDictionary()];
    json = await createZstdCodec({ dictionaries }).decode(bytes);
    compression = { format: "zstd", dictionaryId: frame?.dictionaryId ?? 0, decodedBytes: json.byteLength };
  }
  // No `location`: the failure line already starts with the file name (reportFileError).
  const template = parseTemplate(json);
  return {
    file,
    id: template.id,
    version: template.version,
    ...pick(template, [
      "extends",
      "name",
      "role",
      "domain",
      "description",
      "tools",
      "capabilities",
      "config",
      "metadata",
    ]),
    digest: templateDigest(template),
    canonicalBytes: canonicalTemplateBytes(template).byteLength,
    fileBytes: bytes.byteLength,
    ...(compression === undefined ? {} : { compression }),
    signatures: {
      verified: false,
      note: NOT_VERIFIED,
      headers: (template.signatures ?? []).map(decodeSignatureHeader),
    },
  };
}

/** The listed fields that the template sets (null included: it removes an inherited value). */
function pick(template: AgentTemplate, keys: readonly (keyof AgentTemplate)[]): Partial<InspectReport> {
  const fields: Record<string, unknown> = {};
  for (const key of keys) if (template[key] !== undefined) fields[key] = template[key];
  return fields as Partial<InspectReport>;
}

function formatReport(report: InspectReport): string {
  const text = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));
  const shown = (value: unknown): string =>
    value === undefined
      ? report.extends === undefined
        ? "(not set)"
        : "(not set here: inherited or unset)"
      : value === null
        ? "null (removes the inherited value)"
        : text(value);
  const list = (values: readonly string[] | null | undefined): string =>
    Array.isArray(values) && values.length === 0 ? "(none)" : Array.isArray(values) ? values.join(", ") : shown(values);
  const fields: [string, string][] = [
    ["file", report.file],
    ["id", report.id],
    ["version", report.version],
    ["extends", report.extends ?? "(none)"],
    ["name", shown(report.name)],
    ["role", shown(report.role)],
    ["domain", shown(report.domain)],
    ["tools", list(report.tools)],
    ["capabilities", list(report.capabilities)],
    ["config", shown(report.config)],
    ["metadata", shown(report.metadata)],
    ["digest", report.digest],
    ["canonical size", `${report.canonicalBytes} bytes`],
    [
      "file size",
      report.compression === undefined
        ? `${report.fileBytes} bytes`
        : `${report.fileBytes} bytes (zstd, dictionary id ${report.compression.dictionaryId}, ${report.compression.decodedBytes} bytes decoded)`,
    ],
    ["signatures", `${report.signatures.headers.length}, ${NOT_VERIFIED}`],
  ];
  const width = Math.max(...fields.map(([label]) => label.length));
  // Values come from an unverified file: no character of theirs may move the cursor or start a line.
  const lines = fields.map(([label, value]) => `${label.padEnd(width)}  ${escapeControl(value)}`);
  report.signatures.headers.forEach((header, index) => {
    const detail =
      header.undecodable ??
      [
        `alg=${text(header.alg)}`,
        `kid=${text(header.kid)}`,
        `typ=${text(header.typ)}`,
        `iat=${header.issuedAt ?? "(none)"}`,
        `exp=${header.expiresAt ?? "(none)"}`,
      ].join(" ");
    lines.push(`  [${index}] ${escapeControl(detail)}`);
  });
  return `${lines.join("\n")}\n`;
}
