import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  clearDeviceFlowScript,
  setDeviceFlowScript,
  type DeviceFlowScript,
} from "../../test/fake-copilot/device-flow-routes.js";
import {
  FAKE_GITHUB_TOKEN,
  startFakeCopilot,
  type FakeCopilot,
} from "../../test/fake-copilot/fake-copilot.js";
import {
  DeviceFlowError,
  pollDeviceCode,
  requestDeviceCode,
  runDeviceFlow,
  type DeviceCode,
  type DeviceFlowOptions,
  type DeviceFlowRetry,
} from "./device-flow.js";

// One virtual clock for the flow and the fake GitHub: sleeping advances it, so a 15-minute
// code expiry takes no real time, and the fake's "polled too soon" check sees the same time.
const START = 1_800_000_000_000;
let time = START;
const elapsedSeconds = () => (time - START) / 1000;

let fake: FakeCopilot;
const dispatcher = new Agent();

beforeAll(async () => {
  fake = await startFakeCopilot({ now: () => time });
});
afterAll(async () => {
  await fake.close();
  await dispatcher.close();
});
beforeEach(() => {
  time = START;
  fake.reset();
  clearDeviceFlowScript(fake.githubUrl);
});

interface Observed {
  codes: DeviceCode[];
  ticks: number[];
  retries: DeviceFlowRetry[];
  slowDowns: number[];
  sleeps: number[];
}

function options(extra: Partial<DeviceFlowOptions> = {}): {
  options: DeviceFlowOptions;
  observed: Observed;
} {
  const observed: Observed = { codes: [], ticks: [], retries: [], slowDowns: [], sleeps: [] };
  return {
    observed,
    options: {
      githubUrl: fake.githubUrl,
      dispatcher,
      headers: { "user-agent": "cogpt-test" },
      now: () => time,
      sleep: async (ms) => {
        observed.sleeps.push(ms);
        time += ms;
      },
      onCode: (code) => observed.codes.push(code),
      onTick: (seconds) => observed.ticks.push(seconds),
      onRetry: (retry) => observed.retries.push(retry),
      onSlowDown: (seconds) => observed.slowDowns.push(seconds),
      ...extra,
    },
  };
}

function script(value: DeviceFlowScript): void {
  setDeviceFlowScript(fake.githubUrl, value);
}

function polls(): number {
  return fake.requests.filter((request) => request.path === "/login/oauth/access_token").length;
}

async function failureOf(promise: Promise<unknown>): Promise<DeviceFlowError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof DeviceFlowError))
    throw new Error(`expected a DeviceFlowError: ${String(error)}`);
  return error;
}

describe("runDeviceFlow", () => {
  it("shows the code, waits the interval between polls, and returns the token on approval", async () => {
    const { options: flow, observed } = options();
    expect(await runDeviceFlow(flow)).toBe(FAKE_GITHUB_TOKEN);
    expect(observed.codes).toEqual([
      {
        userCode: "WDJB-MJHT",
        verificationUri: `${fake.githubUrl}/login/device`,
        expiresInSeconds: 900,
        intervalSeconds: 5,
      },
    ]);
    // Pending at 5 s, approved at 10 s; the countdown ticked every second in between.
    expect(polls()).toBe(2);
    expect(elapsedSeconds()).toBe(10);
    expect(observed.ticks).toEqual([900, 899, 898, 897, 896, 895, 894, 893, 892, 891]);
    expect(observed.retries).toEqual([]);
    const device = fake.requests.find((request) => request.path === "/login/device/code");
    expect(JSON.parse(device?.body ?? "")).toEqual({
      client_id: "Iv1.b507a08c87ecfe98",
      scope: "read:user",
    });
    expect(device?.headers["accept"]).toBe("application/json");
  });

  it("keeps polling while the sign-in is pending", async () => {
    script({ polls: ["pending", "pending", "pending", "approve"], interval: 2 });
    const { options: flow } = options();
    expect(await runDeviceFlow(flow)).toBe(FAKE_GITHUB_TOKEN);
    expect(polls()).toBe(4);
    expect(elapsedSeconds()).toBe(8);
  });

  it("slows down to the interval GitHub's slow_down answer carries", async () => {
    script({ polls: ["slow_down", "approve"], interval: 5 });
    const { options: flow, observed } = options();
    expect(await runDeviceFlow(flow)).toBe(FAKE_GITHUB_TOKEN);
    expect(observed.slowDowns).toEqual([10]);
    // Polls at 5 s (slow_down to 10 s) and 15 s; the fake refuses a poll sooner than that.
    expect(elapsedSeconds()).toBe(15);
    expect(polls()).toBe(2);
  });

  it("adds 5 seconds on a slow_down without an interval", async () => {
    script({ polls: [{ error: "slow_down" }, { error: "slow_down" }, "approve"], interval: 1 });
    const { options: flow, observed } = options();
    expect(await runDeviceFlow(flow)).toBe(FAKE_GITHUB_TOKEN);
    expect(observed.slowDowns).toEqual([6, 11]);
    expect(elapsedSeconds()).toBe(1 + 6 + 11);
  });

  it("stops at the expiry without another poll", async () => {
    script({ polls: ["pending"], interval: 5, expiresIn: 12 });
    const { options: flow, observed } = options();
    const error = await failureOf(runDeviceFlow(flow));
    expect(error.reason).toBe("expired_token");
    expect(error.message).toBe("The code expired before it was entered. Run the login again.");
    expect(polls()).toBe(2);
    expect(elapsedSeconds()).toBe(12);
    expect(observed.ticks.at(-1)).toBe(1);
  });

  it("stops when GitHub says the code expired", async () => {
    script({ polls: ["pending", "expire"], interval: 1 });
    const { options: flow } = options();
    expect((await failureOf(runDeviceFlow(flow))).reason).toBe("expired_token");
  });

  it("stops when the person declines", async () => {
    script({ polls: ["pending", "deny"], interval: 1 });
    const { options: flow } = options();
    const error = await failureOf(runDeviceFlow(flow));
    expect(error.reason).toBe("access_denied");
    expect(error.message).toBe("The sign-in was declined on GitHub.");
    expect(polls()).toBe(2);
  });

  it.each([
    ["incorrect_device_code", "GitHub did not recognise the device code."],
    ["unsupported_grant_type", "GitHub did not accept the grant type."],
    ["incorrect_client_credentials", "GitHub did not accept the OAuth client id."],
  ] as const)("stops on %s", async (code, message) => {
    script({ polls: [{ error: code }], interval: 1 });
    const { options: flow } = options();
    const error = await failureOf(runDeviceFlow(flow));
    expect([error.reason, error.message]).toEqual([code, message]);
  });

  it("reports an unknown error code with GitHub's description", async () => {
    script({
      polls: [{ error: "device_flow_disabled", error_description: "Device flow is disabled." }],
      interval: 1,
    });
    const { options: flow } = options();
    const error = await failureOf(runDeviceFlow(flow));
    expect([error.reason, error.message]).toEqual([
      "unexpected_response",
      'GitHub answered with error "device_flow_disabled" (Device flow is disabled.)',
    ]);
  });

  it("refuses an unknown client id when asking for the code", async () => {
    const { options: flow, observed } = options({ clientId: "Iv1.unknown" });
    const error = await failureOf(runDeviceFlow(flow));
    expect(error.reason).toBe("incorrect_client_credentials");
    expect(observed.codes).toEqual([]);
  });

  it("says to check GITHUB_URL when the answer is not GitHub's OAuth endpoint", async () => {
    const { options: flow } = options({ githubUrl: `${fake.githubUrl}/api/v3` });
    const error = await failureOf(runDeviceFlow(flow));
    expect([error.reason, error.message]).toEqual([
      "unexpected_response",
      "GitHub's answer to /login/device/code was not understood (HTTP 404); check GITHUB_URL",
    ]);
  });

  it("retries a poll that met a network error, and still signs in", async () => {
    script({ interval: 1 });
    fake.injectFault({ path: "/login/oauth/access_token", reset: true });
    const { options: flow, observed } = options();
    expect(await runDeviceFlow(flow)).toBe(FAKE_GITHUB_TOKEN);
    expect(observed.retries).toEqual([
      { attempt: 1, maxAttempts: 3, problem: "the connection was closed" },
    ]);
    // reset, pending, approve
    expect(polls()).toBe(3);
  });

  it("retries GitHub's 5xx answers and a failed code request with backoff", async () => {
    script({ interval: 1 });
    fake.injectFault({ path: "/login/device/code", status: 502, body: "<html>unicorn</html>" });
    fake.injectFault({ path: "/login/device/code", reset: true });
    fake.injectFault({ path: "/login/oauth/access_token", status: 503, body: "", times: 2 });
    const { options: flow, observed } = options();
    expect(await runDeviceFlow(flow)).toBe(FAKE_GITHUB_TOKEN);
    expect(observed.retries).toEqual([
      { attempt: 1, maxAttempts: 3, problem: "GitHub answered HTTP 502" },
      { attempt: 2, maxAttempts: 3, problem: "the connection was closed" },
      { attempt: 1, maxAttempts: 3, problem: "GitHub answered HTTP 503" },
      { attempt: 2, maxAttempts: 3, problem: "GitHub answered HTTP 503" },
    ]);
    expect(observed.sleeps.slice(0, 2)).toEqual([1000, 2000]);
  });

  it("gives up after the retries with reason network", async () => {
    script({ interval: 1 });
    fake.injectFault({ path: "/login/oauth/access_token", reset: true, times: 4 });
    const { options: flow, observed } = options();
    const error = await failureOf(runDeviceFlow(flow));
    expect([error.reason, error.message]).toEqual([
      "network",
      "Cannot reach GitHub: the connection was closed",
    ]);
    expect(observed.retries.map((retry) => retry.attempt)).toEqual([1, 2, 3]);
  });

  it("gives up on a GitHub that refuses connections", async () => {
    const port = await findClosedPort();
    const { options: flow, observed } = options({ githubUrl: `http://127.0.0.1:${port}` });
    const error = await failureOf(runDeviceFlow(flow));
    expect([error.reason, error.message]).toEqual(["network", "Cannot reach GitHub: ECONNREFUSED"]);
    expect(observed.sleeps).toEqual([1000, 2000, 4000]);
  });

  it("stops as cancelled when the signal aborts while waiting", async () => {
    const controller = new AbortController();
    const { options: flow } = options({
      signal: controller.signal,
      onTick: (seconds) => {
        if (seconds === 897) controller.abort();
      },
    });
    const error = await failureOf(runDeviceFlow(flow));
    expect([error.reason, error.message]).toEqual(["cancelled", "Sign-in cancelled."]);
    expect(polls()).toBe(0);
  });

  it("stops as cancelled when the signal aborts a request in flight", async () => {
    fake.injectFault({ path: "/login/oauth/access_token", delayMs: 5_000 });
    script({ interval: 0 });
    const controller = new AbortController();
    const { options: flow } = options({ signal: controller.signal });
    const running = runDeviceFlow(flow);
    setTimeout(() => controller.abort(), 50);
    expect((await failureOf(running)).reason).toBe("cancelled");
  });
});

describe("requestDeviceCode and pollDeviceCode", () => {
  it("issue a code, then answer pending, slow_down and the token, one poll per call", async () => {
    script({ polls: ["pending", "slow_down", "approve"], interval: 5, userCode: "ABCD-1234" });
    const { options: flow } = options();
    const code = await requestDeviceCode(flow);
    expect({ ...code, deviceCode: code.deviceCode.length }).toEqual({
      deviceCode: 40,
      userCode: "ABCD-1234",
      verificationUri: `${fake.githubUrl}/login/device`,
      expiresInSeconds: 900,
      intervalSeconds: 5,
    });
    time += 5_000;
    expect(await pollDeviceCode(flow, code.deviceCode, 5)).toEqual({ kind: "pending" });
    time += 5_000;
    expect(await pollDeviceCode(flow, code.deviceCode, 5)).toEqual({
      kind: "slow_down",
      intervalSeconds: 10,
    });
    time += 10_000;
    expect(await pollDeviceCode(flow, code.deviceCode, 10)).toEqual({
      kind: "token",
      token: FAKE_GITHUB_TOKEN,
    });
    expect(polls()).toBe(3);
  });

  it("throw the flow's error when the person declines, and a network error when GitHub is unreachable", async () => {
    script({ polls: ["deny"], interval: 0 });
    const { options: flow } = options();
    const code = await requestDeviceCode(flow);
    const denied = await failureOf(pollDeviceCode(flow, code.deviceCode, 0));
    expect([denied.reason, denied.message]).toEqual([
      "access_denied",
      "The sign-in was declined on GitHub.",
    ]);
    const port = await findClosedPort();
    const { options: offline } = options({ githubUrl: `http://127.0.0.1:${port}` });
    expect((await failureOf(requestDeviceCode(offline))).reason).toBe("network");
  });
});

async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
