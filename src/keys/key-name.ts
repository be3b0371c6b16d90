/** Names of managed keys and saved logins: safe in a file name, a table and a log line. */
const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Whether `name` is 1–64 characters of letters, digits, `.`, `_` and `-`, and not `.` or `..`. */
export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name) && name !== "." && name !== "..";
}

/** The one sentence that says what a name may be, for error messages. */
export const NAME_RULE = "1-64 characters: letters, digits, '.', '_' or '-' (not '.' or '..')";
