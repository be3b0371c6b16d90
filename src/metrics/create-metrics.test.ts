import { describe, expect, it } from "vitest";
import type { LedgerEntry } from "../ledger/ledger-entry.js";
import { createMetrics } from "./create-metrics.js";

const ENTRY: LedgerEntry = {
  time: 1_767_225_600_000,
  requestId: "request-1",
  keyName: "alice",
  account: "acct:1a2b3c4d",
  dialect: "messages",
  endpoint: "/v1/messages",
  modelAsked: "claude-sonnet-4.5",
  modelUsed: "claude-sonnet-4.5",
  initiator: "user",
  status: 200,
  latencyMs: 1_200,
  firstByteMs: 300,
  stream: true,
  complete: true,
  inputTokens: 10,
  cacheReadTokens: 2_000,
  cacheWriteTokens: 0,
  outputTokens: 40,
  reasoningTokens: 0,
  nanoCredits: 1_250_000_000,
  creditsSource: "copilot",
  premiumRequests: 0,
  fallbackFrom: undefined,
  supportId: undefined,
};

/** The rendered samples of one metric family (its name and everything after it), in order. */
async function samples(metrics: ReturnType<typeof createMetrics>, name: string) {
  const { body } = await metrics.render();
  return body
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

const gateway = () => createMetrics({ processMetrics: false });

describe("createMetrics", () => {
  it("counts a request by route, dialect, model used and status", async () => {
    const metrics = gateway();
    metrics.recordRequest(ENTRY, "/v1/messages");
    metrics.recordRequest(ENTRY, "/v1/messages");
    metrics.recordRequest(
      { ...ENTRY, dialect: "chat", modelAsked: "gpt-5", modelUsed: undefined, status: 400 },
      "/v1/chat/completions",
    );
    metrics.recordRequest(
      { ...ENTRY, dialect: "chat", modelAsked: undefined, modelUsed: undefined, status: 400 },
      "/v1/chat/completions",
    );
    expect(await samples(metrics, "cogpt_requests_total")).toEqual([
      'cogpt_requests_total{route="/v1/messages",dialect="messages",model="claude-sonnet-4.5",status="200"} 2',
      'cogpt_requests_total{route="/v1/chat/completions",dialect="chat",model="gpt-5",status="400"} 1',
      'cogpt_requests_total{route="/v1/chat/completions",dialect="chat",model="unknown",status="400"} 1',
    ]);
  });

  it("observes the duration of every request and the first byte of streams only", async () => {
    const metrics = gateway();
    metrics.recordRequest({ ...ENTRY, latencyMs: 1_500, firstByteMs: 500 }, "/v1/messages");
    metrics.recordRequest(
      { ...ENTRY, stream: false, latencyMs: 250, firstByteMs: 70 },
      "/v1/messages",
    );
    metrics.recordRequest({ ...ENTRY, firstByteMs: undefined, latencyMs: 500 }, "/v1/messages");
    expect(await samples(metrics, "cogpt_request_duration_seconds_bucket")).toEqual([
      'cogpt_request_duration_seconds_bucket{le="0.05",route="/v1/messages",dialect="messages"} 0',
      'cogpt_request_duration_seconds_bucket{le="0.1",route="/v1/messages",dialect="messages"} 0',
      'cogpt_request_duration_seconds_bucket{le="0.25",route="/v1/messages",dialect="messages"} 1',
      'cogpt_request_duration_seconds_bucket{le="0.5",route="/v1/messages",dialect="messages"} 2',
      'cogpt_request_duration_seconds_bucket{le="1",route="/v1/messages",dialect="messages"} 2',
      'cogpt_request_duration_seconds_bucket{le="2.5",route="/v1/messages",dialect="messages"} 3',
      'cogpt_request_duration_seconds_bucket{le="5",route="/v1/messages",dialect="messages"} 3',
      'cogpt_request_duration_seconds_bucket{le="10",route="/v1/messages",dialect="messages"} 3',
      'cogpt_request_duration_seconds_bucket{le="30",route="/v1/messages",dialect="messages"} 3',
      'cogpt_request_duration_seconds_bucket{le="60",route="/v1/messages",dialect="messages"} 3',
      'cogpt_request_duration_seconds_bucket{le="120",route="/v1/messages",dialect="messages"} 3',
      'cogpt_request_duration_seconds_bucket{le="300",route="/v1/messages",dialect="messages"} 3',
      'cogpt_request_duration_seconds_bucket{le="+Inf",route="/v1/messages",dialect="messages"} 3',
    ]);
    expect(await samples(metrics, "cogpt_request_duration_seconds_sum")).toEqual([
      'cogpt_request_duration_seconds_sum{route="/v1/messages",dialect="messages"} 2.25',
    ]);
    expect(await samples(metrics, "cogpt_time_to_first_byte_seconds_count")).toEqual([
      'cogpt_time_to_first_byte_seconds_count{dialect="messages"} 1',
    ]);
    expect(await samples(metrics, "cogpt_time_to_first_byte_seconds_sum")).toEqual([
      'cogpt_time_to_first_byte_seconds_sum{dialect="messages"} 0.5',
    ]);
  });

  it("counts tokens by type and credits by source, per key and model, skipping zeros", async () => {
    const metrics = gateway();
    metrics.recordRequest(ENTRY, "/v1/messages");
    metrics.recordRequest(
      {
        ...ENTRY,
        keyName: "API_KEYS#1",
        dialect: "responses",
        modelAsked: "gpt-5.4",
        modelUsed: "gpt-5.4",
        inputTokens: 7,
        cacheReadTokens: 0,
        cacheWriteTokens: 3,
        outputTokens: 5,
        reasoningTokens: 11,
        nanoCredits: 1,
        creditsSource: "estimate",
      },
      "/v1/responses",
    );
    metrics.recordRequest({ ...ENTRY, nanoCredits: 250_000_000 }, "/v1/messages");
    metrics.recordRequest({ ...ENTRY, nanoCredits: 0, creditsSource: "none" }, "/v1/messages");
    expect(await samples(metrics, "cogpt_tokens_total")).toEqual([
      'cogpt_tokens_total{key="alice",model="claude-sonnet-4.5",type="input"} 30',
      'cogpt_tokens_total{key="alice",model="claude-sonnet-4.5",type="cache_read"} 6000',
      'cogpt_tokens_total{key="alice",model="claude-sonnet-4.5",type="output"} 120',
      'cogpt_tokens_total{key="API_KEYS#1",model="gpt-5.4",type="input"} 7',
      'cogpt_tokens_total{key="API_KEYS#1",model="gpt-5.4",type="cache_write"} 3',
      'cogpt_tokens_total{key="API_KEYS#1",model="gpt-5.4",type="output"} 5',
      'cogpt_tokens_total{key="API_KEYS#1",model="gpt-5.4",type="reasoning"} 11',
    ]);
    expect(await samples(metrics, "cogpt_credits_total")).toEqual([
      'cogpt_credits_total{key="alice",model="claude-sonnet-4.5",source="copilot"} 1.5',
      'cogpt_credits_total{key="API_KEYS#1",model="gpt-5.4",source="estimate"} 1e-9',
    ]);
  });

  it("adds up credits exactly, in nano-credits", async () => {
    const metrics = gateway();
    for (let request = 0; request < 3; request += 1) {
      metrics.recordRequest({ ...ENTRY, nanoCredits: 1_110_000 }, "/v1/messages");
    }
    // Added up as credits, 0.00111 three times is 0.0033300000000000005.
    expect(await samples(metrics, "cogpt_credits_total")).toEqual([
      'cogpt_credits_total{key="alice",model="claude-sonnet-4.5",source="copilot"} 0.00333',
    ]);
  });

  it("serves the same totals scrape after scrape, in the order series were first counted", async () => {
    const metrics = gateway();
    const chat = { ...ENTRY, dialect: "chat", modelUsed: "gpt-4o", keyName: "API_KEYS#1" } as const;
    metrics.recordRequest(ENTRY, "/v1/messages");
    metrics.recordRequest({ ...chat, cacheReadTokens: 0 }, "/v1/chat/completions");
    metrics.recordRequest({ ...ENTRY, status: 429, errorCode: "rate_limited" }, "/v1/messages");
    metrics.recordRequest({ ...ENTRY, reasoningTokens: 5 }, "/v1/messages");
    metrics.countTokenExchange("ok");
    metrics.streamOpened();
    const first = (await metrics.render()).body;
    expect((await metrics.render()).body).toBe(first);
    expect(await samples(metrics, "cogpt_requests_total")).toEqual([
      'cogpt_requests_total{route="/v1/messages",dialect="messages",model="claude-sonnet-4.5",status="200"} 2',
      'cogpt_requests_total{route="/v1/chat/completions",dialect="chat",model="gpt-4o",status="200"} 1',
      'cogpt_requests_total{route="/v1/messages",dialect="messages",model="claude-sonnet-4.5",status="429"} 1',
    ]);
    expect(await samples(metrics, "cogpt_tokens_total")).toEqual([
      'cogpt_tokens_total{key="alice",model="claude-sonnet-4.5",type="input"} 30',
      'cogpt_tokens_total{key="alice",model="claude-sonnet-4.5",type="cache_read"} 6000',
      'cogpt_tokens_total{key="alice",model="claude-sonnet-4.5",type="output"} 120',
      'cogpt_tokens_total{key="API_KEYS#1",model="gpt-4o",type="input"} 10',
      'cogpt_tokens_total{key="API_KEYS#1",model="gpt-4o",type="output"} 40',
      'cogpt_tokens_total{key="alice",model="claude-sonnet-4.5",type="reasoning"} 5',
    ]);
    expect(await samples(metrics, "cogpt_request_duration_seconds_count")).toEqual([
      'cogpt_request_duration_seconds_count{route="/v1/messages",dialect="messages"} 3',
      'cogpt_request_duration_seconds_count{route="/v1/chat/completions",dialect="chat"} 1',
    ]);
    expect(await samples(metrics, "cogpt_upstream_errors_total")).toEqual([
      'cogpt_upstream_errors_total{kind="rate_limited"} 1',
    ]);
    expect(await samples(metrics, "cogpt_token_exchanges_total")).toEqual([
      'cogpt_token_exchanges_total{outcome="ok"} 1',
      'cogpt_token_exchanges_total{outcome="failed"} 0',
    ]);
    expect(await samples(metrics, "cogpt_streams_open")).toEqual(["cogpt_streams_open 1"]);
  });

  it("reports a model or key name that is too long or oddly spelled as other", async () => {
    const metrics = gateway();
    const odd = { ...ENTRY, keyName: "k".repeat(65), modelUsed: 'bad"model\n' };
    metrics.recordRequest({ ...odd, cacheReadTokens: 0, outputTokens: 0 }, "/v1/messages");
    expect(await samples(metrics, "cogpt_requests_total")).toEqual([
      'cogpt_requests_total{route="/v1/messages",dialect="messages",model="other",status="200"} 1',
    ]);
    expect(await samples(metrics, "cogpt_tokens_total")).toEqual([
      'cogpt_tokens_total{key="other",model="other",type="input"} 10',
    ]);
  });

  it("stops adding model values past maxLabelValues", async () => {
    const metrics = createMetrics({ processMetrics: false, maxLabelValues: 2 });
    for (const model of ["m1", "m2", "m3", "m4", "m1"]) {
      metrics.recordRequest({ ...ENTRY, modelUsed: model }, "/v1/messages");
    }
    expect(await samples(metrics, "cogpt_requests_total")).toEqual([
      'cogpt_requests_total{route="/v1/messages",dialect="messages",model="m1",status="200"} 2',
      'cogpt_requests_total{route="/v1/messages",dialect="messages",model="m2",status="200"} 1',
      'cogpt_requests_total{route="/v1/messages",dialect="messages",model="other",status="200"} 2',
    ]);
  });

  it("counts an error by its code only when the request failed", async () => {
    const metrics = gateway();
    metrics.recordRequest(
      { ...ENTRY, status: 429, errorCode: "session_quota_exceeded" },
      "/v1/messages",
    );
    metrics.recordRequest(
      { ...ENTRY, status: 429, errorCode: "session_quota_exceeded" },
      "/v1/messages",
    );
    metrics.recordRequest({ ...ENTRY, status: 502, errorCode: "upstream_error" }, "/v1/messages");
    metrics.recordRequest({ ...ENTRY, status: 200, errorCode: "ignored" }, "/v1/messages");
    metrics.recordRequest({ ...ENTRY, status: 500 }, "/v1/messages");
    expect(await samples(metrics, "cogpt_upstream_errors_total")).toEqual([
      'cogpt_upstream_errors_total{kind="session_quota_exceeded"} 2',
      'cogpt_upstream_errors_total{kind="upstream_error"} 1',
    ]);
    expect(metrics.counts().upstreamErrors).toEqual([
      { kind: "session_quota_exceeded", count: 2 },
      { kind: "upstream_error", count: 1 },
    ]);
  });

  it("sets the account windows as gauges and drops a reset that is no longer known", async () => {
    const metrics = gateway();
    metrics.setAccountWindow("acct:1a2b3c4d", "session", 42.5, 3_600);
    metrics.setAccountWindow("acct:1a2b3c4d", "weekly", 90, 86_400);
    metrics.setAccountWindow("acct:1a2b3c4d", "session", 40, undefined);
    expect(await samples(metrics, "cogpt_account_window_remaining_percent")).toEqual([
      'cogpt_account_window_remaining_percent{account="acct:1a2b3c4d",window="session"} 40',
      'cogpt_account_window_remaining_percent{account="acct:1a2b3c4d",window="weekly"} 90',
    ]);
    expect(await samples(metrics, "cogpt_account_window_reset_seconds")).toEqual([
      'cogpt_account_window_reset_seconds{account="acct:1a2b3c4d",window="weekly"} 86400',
    ]);
  });

  it("counts token exchanges by outcome, both shown from the start, and streams open", async () => {
    const metrics = gateway();
    expect(await samples(metrics, "cogpt_token_exchanges_total")).toEqual([
      'cogpt_token_exchanges_total{outcome="ok"} 0',
      'cogpt_token_exchanges_total{outcome="failed"} 0',
    ]);
    expect(await samples(metrics, "cogpt_streams_open")).toEqual(["cogpt_streams_open 0"]);
    metrics.countTokenExchange("ok");
    metrics.countTokenExchange("failed");
    metrics.countTokenExchange("ok");
    metrics.streamOpened();
    metrics.streamOpened();
    metrics.streamClosed();
    expect(await samples(metrics, "cogpt_token_exchanges_total")).toEqual([
      'cogpt_token_exchanges_total{outcome="ok"} 2',
      'cogpt_token_exchanges_total{outcome="failed"} 1',
    ]);
    expect(await samples(metrics, "cogpt_streams_open")).toEqual(["cogpt_streams_open 1"]);
    expect(metrics.counts()).toEqual({
      tokenExchanges: { ok: 2, failed: 1 },
      upstreamErrors: [],
      streamsOpen: 1,
    });
  });

  it("keeps each instance's counts apart and renders the Prometheus text format", async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.countTokenExchange("ok");
    const rendered = await second.render();
    expect(rendered.contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await samples(second, "cogpt_token_exchanges_total")).toEqual([
      'cogpt_token_exchanges_total{outcome="ok"} 0',
      'cogpt_token_exchanges_total{outcome="failed"} 0',
    ]);
    expect(rendered.body).toContain("# TYPE cogpt_requests_total counter\n");
    // Node's process metrics, on this instance's registry.
    expect(rendered.body).toContain("# TYPE process_cpu_user_seconds_total counter\n");
    expect(rendered.body).toContain("# TYPE nodejs_heap_size_used_bytes gauge\n");
  });
});
