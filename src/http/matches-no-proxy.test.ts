import { describe, expect, it } from "vitest";
import { matchesNoProxy } from "./matches-no-proxy.js";

describe("matchesNoProxy", () => {
  it.each([
    // [url, NO_PROXY entries, bypasses the proxy]
    ["https://api.githubcopilot.com/chat", [], false],
    ["https://api.githubcopilot.com/chat", ["*"], true],
    ["https://api.githubcopilot.com/chat", [" * "], true],
    ["https://api.githubcopilot.com/chat", ["", "  "], false],
    ["https://githubcopilot.com/", ["githubcopilot.com"], true],
    ["https://api.githubcopilot.com/", ["githubcopilot.com"], true],
    ["https://a.b.githubcopilot.com/", ["githubcopilot.com"], true],
    ["https://notgithubcopilot.com/", ["githubcopilot.com"], false],
    ["https://githubcopilot.com.evil.example/", ["githubcopilot.com"], false],
    ["https://githubcopilot.com/", [".githubcopilot.com"], true],
    ["https://api.githubcopilot.com/", [".githubcopilot.com"], true],
    ["https://api.githubcopilot.com/", ["*.githubcopilot.com"], true],
    ["https://API.GitHubCopilot.COM/", ["githubcopilot.com"], true],
    ["https://api.githubcopilot.com/", ["GITHUBCOPILOT.COM"], true],
    ["https://api.githubcopilot.com./", ["githubcopilot.com"], true],
    ["https://api.githubcopilot.com/", ["githubcopilot.com."], true],
    ["https://api.github.com/", ["example.com", "github.com"], true],
    ["https://api.github.com/", ["example.com", "gitlab.com"], false],
    ["http://localhost:8080/", ["localhost"], true],
    ["http://127.0.0.1:8080/", ["localhost"], false],
    // Ports: only the given port; the scheme's default when the URL has none.
    ["http://localhost:8080/", ["localhost:8080"], true],
    ["http://localhost:9090/", ["localhost:8080"], false],
    ["https://api.github.com/", ["api.github.com:443"], true],
    ["http://api.github.com/", ["api.github.com:443"], false],
    ["http://api.github.com/", ["api.github.com:80"], true],
    ["https://api.github.com/", ["github.com:abc"], false],
    // IP literals match exactly; domains never match an IP.
    ["http://127.0.0.1:8080/", ["127.0.0.1"], true],
    ["http://127.0.0.10:8080/", ["127.0.0.1"], false],
    ["http://127.0.0.1:8080/", ["127.0.0.1:8080"], true],
    ["http://127.0.0.1:8080/", ["127.0.0.1:9090"], false],
    ["http://1.2.3.4/", ["3.4"], false],
    ["http://10.1.2.3/", ["10.0.0.0/8"], true],
    ["http://11.1.2.3/", ["10.0.0.0/8"], false],
    ["http://10.1.2.3/", ["10.0.0.0/40"], false],
    ["http://[::1]:8080/", ["::1"], true],
    ["http://[::1]:8080/", ["[::1]"], true],
    ["http://[::1]:8080/", ["[::1]:8080"], true],
    ["http://[::1]:8080/", ["[::1]:9090"], false],
    ["http://[::1]:8080/", ["0:0:0:0:0:0:0:1"], true],
    ["http://[::2]:8080/", ["::1"], false],
    ["http://[fd00::5]/", ["fd00::/8"], true],
    ["http://[::1]/", ["localhost"], false],
  ] as const)("%s with %j → %s", (url, noProxy, expected) => {
    expect(matchesNoProxy(new URL(url), noProxy)).toEqual(expected);
  });
});
