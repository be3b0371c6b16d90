import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLoginDisplay, formatClock } from "./login-display.js";

function sink(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return Object.assign(stream, { isTTY, text: () => text });
}

const CODE = {
  userCode: "WDJB-MJHT",
  verificationUri: "https://github.com/login/device",
  expiresInSeconds: 900,
  intervalSeconds: 5,
};

describe("createLoginDisplay", () => {
  it("on a terminal shows a QR code and rewrites one countdown line", () => {
    const output = sink(true);
    const errors = sink(true);
    const display = createLoginDisplay({ output, errors, renderQr: (text) => `[QR ${text}]` });
    display.showCode(CODE);
    display.tick(900);
    display.tick(899);
    display.note("cogpt login: retrying");
    display.tick(898);
    display.end();
    expect(output.text()).toBe(
      "To sign in, open https://github.com/login/device\nand enter the code WDJB-MJHT\n\n" +
        "[QR https://github.com/login/device]\n\n" +
        "\r\u001b[2KWaiting for you to sign in: the code expires in 15:00 (Ctrl-C to cancel)" +
        "\r\u001b[2KWaiting for you to sign in: the code expires in 14:59 (Ctrl-C to cancel)" +
        "\r\u001b[2K" +
        "\r\u001b[2KWaiting for you to sign in: the code expires in 14:58 (Ctrl-C to cancel)" +
        "\r\u001b[2K",
    );
    expect(errors.text()).toBe("cogpt login: retrying\n");
  });

  it("elsewhere prints plain lines, a countdown line every 30 seconds, and no QR code", () => {
    const output = sink(false);
    const errors = sink(false);
    const display = createLoginDisplay({ output, errors, renderQr: () => "[QR]" });
    display.showCode({ ...CODE, expiresInSeconds: 95 });
    for (let seconds = 95; seconds >= 1; seconds--) display.tick(seconds);
    display.end();
    expect(output.text().split("\n")).toEqual([
      "To sign in, open https://github.com/login/device",
      "and enter the code WDJB-MJHT",
      "",
      "Waiting for you to sign in; the code expires in 1:35.",
      "Still waiting; the code expires in 1:05.",
      "Still waiting; the code expires in 0:35.",
      "Still waiting; the code expires in 0:05.",
      "",
    ]);
  });

  it("prints each 30-second mark once even when ticks repeat or skip", () => {
    const output = sink(false);
    const display = createLoginDisplay({ output, errors: sink(false) });
    display.showCode({ ...CODE, expiresInSeconds: 100 });
    for (const seconds of [100, 100, 71, 70, 70, 69, 12, 12]) display.tick(seconds);
    expect(output.text().split("\n").slice(4)).toEqual([
      "Still waiting; the code expires in 1:10.",
      "Still waiting; the code expires in 0:12.",
      "",
    ]);
  });
});

describe("formatClock", () => {
  it.each([
    [900, "15:00"],
    [59, "0:59"],
    [0, "0:00"],
    [-3, "0:00"],
    [61.9, "1:01"],
  ])("%d → %s", (seconds, text) => {
    expect(formatClock(seconds)).toBe(text);
  });
});
