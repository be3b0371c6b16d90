/**
 * A coding agent's turn as the bench sends it: what Claude Code or Codex send on every step of a
 * long task, a long system prompt, a dozen tools with JSON schemas and a conversation so far,
 * about 55 KB in all, streamed. Fixed text, so every run sends the same bytes.
 */
export function agentTurnBody(model: string): string {
  const paragraph =
    "You are a coding agent working in the user's repository. Read files before changing them, " +
    "keep changes small and focused, run the tests after each change, and explain what you did " +
    "in a few sentences. Never invent file contents; quote the lines you rely on. ";
  const tools = TOOL_NAMES.map((name, index) => ({
    type: "function",
    function: {
      name,
      description: `${name.replaceAll("_", " ")}: ${paragraph.repeat(2)}`,
      parameters: {
        type: "object",
        properties: {
          path: { type: "string", description: "Path relative to the repository root" },
          content: { type: "string", description: "Text to write or search for" },
          start_line: { type: "integer", description: "First line, 1-based" },
          end_line: { type: "integer", description: `Last line (tool ${index})` },
        },
        required: ["path"],
      },
    },
  }));
  const messages: { role: "system" | "user" | "assistant"; content: string }[] = [
    { role: "system", content: paragraph.repeat(40) },
  ];
  for (let turn = 0; turn < 16; turn++) {
    messages.push({
      role: "user",
      content: `Step ${turn}: here is the output of the last command.\n${SAMPLE_OUTPUT.repeat(6)}`,
    });
    messages.push({
      role: "assistant",
      content: `Step ${turn} done. ${paragraph.repeat(3)}`,
    });
  }
  messages.push({ role: "user", content: "Go on with the next step." });
  return JSON.stringify({ model, stream: true, messages, tools });
}

const TOOL_NAMES = [
  "read_file",
  "write_file",
  "edit_file",
  "list_directory",
  "search_text",
  "run_command",
  "run_tests",
  "git_diff",
  "git_commit",
  "fetch_url",
  "ask_user",
  "update_plan",
];

const SAMPLE_OUTPUT =
  " PASS  src/server/event-stream.test.ts (14 tests) 109ms\n" +
  " FAIL  src/config/options.test.ts > matches the committed .env.example\n" +
  "   expected '# ABORTED_STREAM_WAIT=0' to be in the file\n";
