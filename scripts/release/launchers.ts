/** The archives' commands, as `cogpt` subcommands (undefined: the `cogpt` command line itself). */
export const LAUNCHERS: readonly { readonly name: string; readonly command?: string }[] = [
  { name: "cogpt" },
  { name: "cogpt-api", command: "serve" },
  { name: "cogpt-get-apptoken", command: "login" },
  { name: "gen-share-token", command: "share-token" },
];

// node:sqlite still says it is experimental on Node 22: the warning would only alarm users.
const NODE_FLAGS = "--disable-warning=ExperimentalWarning";

/**
 * A POSIX shell launcher that runs the archive's own Node on the bundle, found beside the
 * launcher itself even when started through a symbolic link (/usr/local/bin/cogpt-api → …).
 */
export function renderShellLauncher(name: string, command: string | undefined): string {
  const subcommand = command === undefined ? "" : ` ${command}`;
  return [
    "#!/bin/sh",
    `# ${name}: ${command === undefined ? "the cogpt command line" : `\`cogpt ${command}\``}, run by the Node runtime shipped beside it.`,
    "set -e",
    'self="$0"',
    'while [ -L "$self" ]; do',
    '  link=$(readlink "$self")',
    '  case "$link" in',
    '    /*) self="$link" ;;',
    '    *) self="$(dirname "$self")/$link" ;;',
    "  esac",
    "done",
    'here=$(CDPATH= cd -- "$(dirname -- "$self")" && pwd -P)',
    `exec "$here/runtime/node" ${NODE_FLAGS} "$here/lib/cogpt.mjs"${subcommand} "$@"`,
    "",
  ].join("\n");
}

/** The same for Windows: a batch file (CRLF lines), found through %~dp0 wherever it is run. */
export function renderCmdLauncher(name: string, command: string | undefined): string {
  const subcommand = command === undefined ? "" : ` ${command}`;
  return [
    "@echo off",
    `rem ${name}: ${command === undefined ? "the cogpt command line" : `cogpt ${command}`}, run by the Node runtime shipped beside it.`,
    `"%~dp0runtime\\node.exe" ${NODE_FLAGS} "%~dp0lib\\cogpt.mjs"${subcommand} %*`,
    "",
  ].join("\r\n");
}
