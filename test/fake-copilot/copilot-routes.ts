import type { RecordedRequest } from "./fake-copilot-types.js";
import type { FakeResponse } from "./fake-response.js";
import { APPLICATION_JSON, textResponse } from "./fake-response.js";
import type { FakeState } from "./fake-state.js";
import { checkCopilotToken } from "./fake-state.js";
import { handleChatCompletions } from "./chat-completions.js";
import { handleEmbeddings } from "./embeddings.js";
import { handleCountTokens, handleMessages } from "./messages.js";
import { handleResponses } from "./responses.js";

/**
 * The checks the real Copilot API makes before looking at the route, in its order: token,
 * Editor-Version, Copilot-Integration-Id, X-Github-Api-Version, Editor-Plugin-Version (an
 * outdated version gets 466, docs/upstream-protocol.md, Request headers).
 */
export function checkCopilotRequest(
  state: FakeState,
  request: RecordedRequest,
): FakeResponse | undefined {
  const { headers } = request;
  const token = /^bearer\s+(\S+)\s*$/i.exec(headers["authorization"] ?? "")?.[1];
  const status = token === undefined ? "unknown" : checkCopilotToken(state, token);
  if (status === "expired") return textResponse(401, state.fixtures.tokenExpiredBody);
  if (status === "unknown") return textResponse(401, "unauthorized: invalid token\n");
  if (!headers["editor-version"]) {
    return textResponse(400, "bad request: missing Editor-Version header for IDE auth\n");
  }
  // Copilot answers model_not_supported, not a header error, when the integration id is missing.
  if (!headers["copilot-integration-id"]) {
    return textResponse(400, state.fixtures.modelNotSupportedBody);
  }
  const apiVersion = headers["x-github-api-version"];
  if (!apiVersion || apiVersion < state.minApiVersion) {
    return textResponse(466, state.fixtures.apiVersionUnsupportedBody);
  }
  const pluginVersion = /^copilot-chat\/(\d+(?:\.\d+)*)$/.exec(
    headers["editor-plugin-version"] ?? "",
  );
  if (pluginVersion?.[1] !== undefined && isOlder(pluginVersion[1], state.minEditorPluginVersion)) {
    return textResponse(466, state.fixtures.apiVersionUnsupportedBody);
  }
  return undefined;
}

/** Dotted version compare, numerically per part ("0.9.0" is older than "0.26.0"). */
function isOlder(version: string, minimum: string): boolean {
  const parts = version.split(".").map(Number);
  const minimumParts = minimum.split(".").map(Number);
  for (let index = 0; index < Math.max(parts.length, minimumParts.length); index++) {
    const difference = (parts[index] ?? 0) - (minimumParts[index] ?? 0);
    if (difference !== 0) return difference < 0;
  }
  return false;
}

export function routeCopilotRequest(state: FakeState, request: RecordedRequest): FakeResponse {
  const route = `${request.method} ${request.path}`;
  switch (route) {
    case "GET /models":
      return {
        kind: "body",
        status: 200,
        headers: { "content-type": APPLICATION_JSON },
        body: state.modelsText,
      };
    case "POST /chat/completions":
      return handleChatCompletions(state, request);
    case "POST /embeddings":
      return handleEmbeddings(state, request.body);
    case "POST /v1/messages":
      return handleMessages(state, request);
    case "POST /v1/messages/count_tokens":
      return handleCountTokens(state, request);
    case "POST /responses":
      return handleResponses(state, request);
    default:
      // Copilot's Go router answers unknown paths with its default plain-text 404.
      return textResponse(404, "404 page not found\n");
  }
}
