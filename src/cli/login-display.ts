import type { DeviceCode } from "../github/device-flow.js";

type Output = NodeJS.WritableStream & { readonly isTTY?: boolean };

export interface LoginDisplayOptions {
  /** Where the instructions and the countdown go (stdout, or stderr under --json). */
  readonly output: Output;
  /** Where retries and warnings go. */
  readonly errors: Output;
  /** Renders a QR code for terminals; called only when `output` is a TTY. */
  readonly renderQr?: (text: string) => string;
}

/** What `cogpt login` shows while the device flow runs. */
export interface LoginDisplay {
  showCode(code: DeviceCode): void;
  /** Seconds left before the code expires; called about once a second. */
  tick(secondsLeft: number): void;
  /** A line for the person (a retry, a slow-down), printed without breaking the countdown. */
  note(line: string): void;
  /** Clears the countdown for good. */
  end(): void;
}

// A non-terminal (a log, a CI job) gets a countdown line this often instead of every second.
const PLAIN_COUNTDOWN_EVERY_SECONDS = 30;
const CLEAR_LINE = "\r\u001b[2K";

export function createLoginDisplay(options: LoginDisplayOptions): LoginDisplay {
  const { output, errors } = options;
  const tty = output.isTTY === true;
  let countdownShown = false;
  let nextPlainMark = 0;

  const clearCountdown = () => {
    if (countdownShown) output.write(CLEAR_LINE);
    countdownShown = false;
  };

  return {
    showCode(code) {
      output.write(
        `To sign in, open ${code.verificationUri}\nand enter the code ${code.userCode}\n\n`,
      );
      if (tty && options.renderQr !== undefined) {
        output.write(`${options.renderQr(code.verificationUri)}\n\n`);
      }
      if (!tty) {
        const expiry = formatClock(Math.ceil(code.expiresInSeconds));
        output.write(`Waiting for you to sign in; the code expires in ${expiry}.\n`);
        nextPlainMark = Math.ceil(code.expiresInSeconds) - PLAIN_COUNTDOWN_EVERY_SECONDS;
      }
    },
    tick(secondsLeft) {
      if (tty) {
        output.write(
          `${CLEAR_LINE}Waiting for you to sign in: the code expires in ${formatClock(secondsLeft)} (Ctrl-C to cancel)`,
        );
        countdownShown = true;
        return;
      }
      if (secondsLeft > nextPlainMark || nextPlainMark <= 0) return;
      output.write(`Still waiting; the code expires in ${formatClock(secondsLeft)}.\n`);
      while (nextPlainMark >= secondsLeft) nextPlainMark -= PLAIN_COUNTDOWN_EVERY_SECONDS;
    },
    note(line) {
      clearCountdown();
      errors.write(`${line}\n`);
    },
    end() {
      clearCountdown();
    },
  };
}

/** 900 → `15:00`, 59 → `0:59`. */
export function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}
