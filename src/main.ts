#!/usr/bin/env node
import { createProgram, errorMessageOf, exitCodeOf } from "./cli/create-program.js";

/** The `cogpt` command line. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = await createProgram(undefined, argv[2]);
  await program.parseAsync([...argv]);
}

main(process.argv).catch((error: unknown) => {
  const message = errorMessageOf(error);
  if (message !== "") process.stderr.write(`cogpt: ${message}\n`);
  process.exitCode = exitCodeOf(error);
});
