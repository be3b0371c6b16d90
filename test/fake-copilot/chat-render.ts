import type { CopilotUsage } from "./billing.js";
import type { ChatAnswer } from "./chat-answer.js";
import { countCompletionTokens, splitIntoPieces } from "./chat-answer.js";

/**
 * Renders planned answers in the shapes Copilot really sends (see test/fixtures/copilot/chat/):
 * OpenAI-vendor bodies like chat.gpt-4o.simple.2026-03.json and streams like
 * chat-stream.gpt-4o.text.2025-05-18.sse; Claude bodies like chat.claude-sonnet-4.tool-call.2025-07-22.json
 * and streams like chat-stream.claude-3.5-sonnet.two-tool-calls-same-index.2025-03-14.sse.
 */
export interface ChatRenderContext {
  id: string;
  created: number;
  model: string;
  /** As Copilot reports it: including the cached tokens. */
  promptTokens: number;
  /** Prompt tokens read from the cache (`prompt_tokens_details.cached_tokens`). */
  cachedTokens: number;
  /** Beside `usage` in the body or the usage chunk; undefined when left out. */
  copilotUsage: CopilotUsage | undefined;
  anthropic: boolean;
  streamChunks: number | undefined;
}

const SAFE = { filtered: false, severity: "safe" };
const CONTENT_FILTER_RESULTS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };
const PROMPT_FILTER_RESULTS = [{ content_filter_results: CONTENT_FILTER_RESULTS, prompt_index: 0 }];
const SYSTEM_FINGERPRINT = "fp_fake";
const PADDING = "abcdefghijklmnopqrstuvwxyz";

export function renderChatCompletion(
  answers: readonly ChatAnswer[],
  context: ChatRenderContext,
): Record<string, unknown> {
  const completionTokens = sumCompletionTokens(answers);
  if (context.anthropic) {
    return {
      choices: answers.map((answer) => ({
        finish_reason: finishReasonOf(answer),
        message: messageOf(answer, false),
      })),
      created: context.created,
      id: context.id,
      ...copilotUsageField(context),
      usage: {
        completion_tokens: completionTokens,
        prompt_tokens: context.promptTokens,
        prompt_tokens_details: { cached_tokens: context.cachedTokens },
        total_tokens: context.promptTokens + completionTokens,
      },
      model: context.model,
    };
  }
  return {
    choices: answers.map((answer, index) => ({
      finish_reason: finishReasonOf(answer),
      index,
      content_filter_results: answer.kind === "text" ? CONTENT_FILTER_RESULTS : {},
      message: messageOf(answer, true),
    })),
    id: context.id,
    ...copilotUsageField(context),
    usage: openAIUsage(context, completionTokens),
    model: context.model,
    prompt_filter_results: PROMPT_FILTER_RESULTS,
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}

/** The SSE payloads, without the final `[DONE]`. */
export function renderChatStream(
  answers: readonly ChatAnswer[],
  context: ChatRenderContext,
): unknown[] {
  return context.anthropic
    ? renderClaudeStream(answers, context)
    : renderOpenAIStream(answers, context);
}

function renderOpenAIStream(answers: readonly ChatAnswer[], context: ChatRenderContext): unknown[] {
  // Copilot's first OpenAI-vendor chunk carries only the prompt filter results.
  const payloads: unknown[] = [
    { choices: [], created: 0, id: "", prompt_filter_results: PROMPT_FILTER_RESULTS },
  ];
  let serial = 0;
  const push = (choice: Record<string, unknown>, usage?: Record<string, unknown>): void => {
    // Real chunks lack `object` and sometimes `created`; every other chunk omits it here.
    const created = serial++ % 2 === 0 ? { created: context.created } : {};
    payloads.push({
      choices: [choice],
      ...created,
      id: context.id,
      ...(usage === undefined ? {} : { ...copilotUsageField(context), usage }),
      model: context.model,
      system_fingerprint: SYSTEM_FINGERPRINT,
    });
  };
  answers.forEach((answer, index) => {
    const filters =
      answer.kind === "text"
        ? {
            content_filter_offsets: {
              check_offset: 0,
              start_offset: 0,
              end_offset: answer.text.length,
            },
            content_filter_results: CONTENT_FILTER_RESULTS,
          }
        : {};
    for (const delta of openAIDeltas(answer, context.streamChunks)) {
      push({ index, ...filters, delta });
    }
    const usage =
      index === answers.length - 1 ? openAIUsage(context, sumCompletionTokens(answers)) : undefined;
    push(
      { finish_reason: finishReasonOf(answer), index, ...filters, delta: { content: null } },
      usage,
    );
  });
  return payloads;
}

function openAIDeltas(answer: ChatAnswer, streamChunks: number | undefined): unknown[] {
  if (answer.kind === "text") {
    const pieces = splitIntoPieces(answer.text, streamChunks).map((content) => ({ content }));
    return [{ content: "", role: "assistant" }, ...pieces];
  }
  return answer.calls.flatMap((call, index) => [
    {
      content: null,
      ...(index === 0 ? { role: "assistant" } : {}),
      tool_calls: [
        { function: { arguments: "", name: call.name }, id: call.id, index, type: "function" },
      ],
    },
    ...splitIntoPieces(call.arguments, 2).map((piece) => ({
      content: null,
      tool_calls: [{ function: { arguments: piece }, index }],
    })),
  ]);
}

function renderClaudeStream(answers: readonly ChatAnswer[], context: ChatRenderContext): unknown[] {
  const payloads: unknown[] = [];
  const push = (choice: Record<string, unknown>, usage?: Record<string, unknown>): void => {
    payloads.push({
      choices: [choice],
      created: context.created,
      id: context.id,
      ...(usage === undefined ? {} : { ...copilotUsageField(context), usage }),
      model: context.model,
    });
  };
  answers.forEach((answer, index) => {
    for (const delta of claudeDeltas(answer, context.streamChunks)) push({ index, delta });
    const completionTokens = sumCompletionTokens(answers);
    // Claude streams through Copilot report total_tokens as 0 (and cached tokens when any).
    const cached =
      context.cachedTokens > 0
        ? { prompt_tokens_details: { cached_tokens: context.cachedTokens } }
        : {};
    const usage =
      index === answers.length - 1
        ? {
            completion_tokens: completionTokens,
            prompt_tokens: context.promptTokens,
            ...cached,
            total_tokens: 0,
          }
        : undefined;
    push({ finish_reason: finishReasonOf(answer), index, delta: { content: null } }, usage);
  });
  return payloads;
}

/** Claude repeats the role on every delta, and gives parallel tool calls the same index 0. */
function claudeDeltas(answer: ChatAnswer, streamChunks: number | undefined): unknown[] {
  if (answer.kind === "text") {
    return splitIntoPieces(answer.text, streamChunks).map((content) => ({
      content,
      role: "assistant",
    }));
  }
  return answer.calls.flatMap((call) => [
    {
      content: null,
      role: "assistant",
      tool_calls: [{ function: { name: call.name }, id: call.id, index: 0, type: "function" }],
    },
    ...splitIntoPieces(call.arguments, 2).map((piece) => ({
      content: null,
      role: "assistant",
      tool_calls: [{ function: { arguments: piece }, index: 0, type: "function" }],
    })),
  ]);
}

function messageOf(answer: ChatAnswer, padded: boolean): Record<string, unknown> {
  const padding = padded ? { padding: PADDING } : {};
  if (answer.kind === "text") return { content: answer.text, ...padding, role: "assistant" };
  return {
    ...padding,
    role: "assistant",
    tool_calls: answer.calls.map((call) => ({
      function: { arguments: call.arguments, name: call.name },
      id: call.id,
      type: "function",
    })),
  };
}

function finishReasonOf(answer: ChatAnswer): string {
  return answer.kind === "text" ? answer.finishReason : "tool_calls";
}

function sumCompletionTokens(answers: readonly ChatAnswer[]): number {
  return answers.reduce((total, answer) => total + countCompletionTokens(answer), 0);
}

function openAIUsage(
  context: ChatRenderContext,
  completionTokens: number,
): Record<string, unknown> {
  return {
    completion_tokens: completionTokens,
    completion_tokens_details: { accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    prompt_tokens: context.promptTokens,
    prompt_tokens_details: { cached_tokens: context.cachedTokens },
    total_tokens: context.promptTokens + completionTokens,
  };
}

function copilotUsageField(context: ChatRenderContext): Record<string, unknown> {
  return context.copilotUsage === undefined ? {} : { copilot_usage: context.copilotUsage };
}
