/** The exit codes of every `cogpt` command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** A usage or configuration error: nothing was tried. */
export const EXIT_USAGE = 2;
/** Stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_CANCELLED = 130;

/** A command failed in a way already explained by `message`; main prints it and exits. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_FAILURE) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}
