/**
 * Hides the credentials of a URL-ish string, for messages and logs: `http://user:pass@host`
 * becomes `http://user:***@host`, and a user part with no password (often a token) becomes `***`.
 * Works on text that is not a valid URL too, since those are the ones error messages quote.
 */
export function redactUrlCredentials(raw: string): string {
  const withScheme = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@(.*)$/is.exec(raw);
  if (withScheme !== null) {
    const [, scheme = "", userInfo = "", rest = ""] = withScheme;
    return `${scheme}${redactUserInfo(userInfo)}@${rest}`;
  }
  // No scheme (`user:pass@host:port`): everything before the last `@` may be secret.
  const at = raw.lastIndexOf("@");
  return at === -1 ? raw : `***${raw.slice(at)}`;
}

function redactUserInfo(userInfo: string): string {
  const colon = userInfo.indexOf(":");
  return colon === -1 ? "***" : `${userInfo.slice(0, colon)}:***`;
}
