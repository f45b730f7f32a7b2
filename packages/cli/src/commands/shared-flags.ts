import { type Command, Option } from "commander";
import { writeErr } from "../terminal-text.js";

/**
 * Collects a repeatable flag's values (`-D a -D b`). Unlike a variadic `<file...>`, a
 * repeatable flag takes exactly one value each time, so it never swallows the command's
 * path arguments (`sign --dictionary d.zdict templates/` keeps `templates/` a path). @internal
 */
export function collectValues(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Prints a one-line deprecation warning on stderr (the command still runs). @internal */
export function warnDeprecated(old: string, replacement: string): void {
  writeErr(`nextgen: warning: ${old} is deprecated; use ${replacement}\n`);
}

/** The flags {@link withDictionaryOption} adds. @internal */
export interface DictionaryFlags {
  dictionary?: string[];
  /** The deprecated spelling of `--dictionary` (pack, unpack). */
  dict?: string[];
}

/**
 * Adds the one spelling of the zstd dictionary flag every command uses, `-D, --dictionary
 * <file>` (repeatable, as in `zstd -D`), and the old `--dict` as a hidden alias that warns.
 * @internal
 */
export function withDictionaryOption(command: Command, description: string): Command {
  return command
    .addOption(new Option("-D, --dictionary <file>", `${description} (repeatable)`).argParser(collectValues))
    .addOption(new Option("--dict <file>", "deprecated spelling of --dictionary").argParser(collectValues).hideHelp());
}

/** The dictionary files given, in order, warning once if the deprecated `--dict` was used. @internal */
export function dictionaryFiles(flags: DictionaryFlags): string[] {
  if (flags.dict !== undefined) warnDeprecated("--dict", "--dictionary (-D)");
  return [...(flags.dictionary ?? []), ...(flags.dict ?? [])];
}
