#!/usr/bin/env node
import { NextGenError } from "@nextgen/core";
import { createProgram } from "./program.js";

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  if (NextGenError.is(error)) {
    process.stderr.write(`nextgen: ${error.code}: ${error.message}\n`);
  } else {
    process.stderr.write(`nextgen: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
}
