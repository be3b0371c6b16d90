import type { UiKeySnippets } from "../../protocols/ui-api.js";

/**
 * The OpenAI SDK (Python), Claude Code (its environment variables) and Codex (a provider in
 * ~/.codex/config.toml whose key is read from an environment variable) pointed at `baseUrl`.
 */
export function renderKeySnippets(baseUrl: string, secret: string): UiKeySnippets {
  const base = baseUrl.replace(/\/+$/, "");
  return {
    openai: [
      "from openai import OpenAI",
      "",
      `client = OpenAI(base_url="${base}/v1", api_key="${secret}")`,
      "",
    ].join("\n"),
    claudeCode: [
      `export ANTHROPIC_BASE_URL="${base}"`,
      `export ANTHROPIC_AUTH_TOKEN="${secret}"`,
      "claude",
      "",
    ].join("\n"),
    codex: [
      "# ~/.codex/config.toml",
      'model_provider = "cogpt"',
      "",
      "[model_providers.cogpt]",
      'name = "CoGPT"',
      `base_url = "${base}/v1"`,
      'env_key = "COGPT_API_KEY"',
      'wire_api = "responses"',
      "",
      "# then, in the shell that runs codex:",
      `# export COGPT_API_KEY="${secret}"`,
      "",
    ].join("\n"),
  };
}
