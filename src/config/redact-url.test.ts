import { describe, expect, it } from "vitest";
import { redactUrlCredentials } from "./redact-url.js";

describe("redactUrlCredentials", () => {
  it.each([
    ["http://proxy:3128", "http://proxy:3128"],
    ["http://user:pass@proxy:3128", "http://user:***@proxy:3128"],
    ["socks5h://user:p@ss@proxy:1080/", "socks5h://user:***@proxy:1080/"],
    ["http://tokenonly@proxy:3128", "http://***@proxy:3128"],
    ["user:pass@proxy:3128", "***@proxy:3128"],
    ["ftp://x", "ftp://x"],
    ["not a url", "not a url"],
  ])("shows %j as %j", (raw, expected) => {
    expect(redactUrlCredentials(raw)).toBe(expected);
  });
});
