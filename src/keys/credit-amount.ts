/** Nano-credits in one AI credit: ledgers and limits count whole nano-credits. */
export const NANO_CREDITS_PER_CREDIT = 1_000_000_000;

const DECIMAL_CREDITS = /^(\d+)(?:\.(\d{1,9}))?$/;

/**
 * Decimal credits as typed by a person (`12.5`, `0.1`, `300`) → whole nano-credits, read from the
 * digits (no floating point, so `0.1` is exactly 100000000). Throws on anything else: a sign,
 * more than 9 decimals (below a nano-credit), or more than fits a safe integer.
 */
export function parseCredits(text: string): number {
  const trimmed = text.trim();
  const match = DECIMAL_CREDITS.exec(trimmed);
  if (match === null) {
    throw new Error(
      /^\d+\.\d{10,}$/.test(trimmed)
        ? "at most 9 decimals (a nano-credit is the smallest amount)"
        : "expected a number of credits such as 12.5",
    );
  }
  const whole = BigInt(match[1] ?? "0");
  const fraction = BigInt((match[2] ?? "").padEnd(9, "0"));
  const nano = whole * BigInt(NANO_CREDITS_PER_CREDIT) + fraction;
  if (nano > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(`at most ${formatCredits(Number.MAX_SAFE_INTEGER)} credits`);
  }
  return Number(nano);
}

/** Whole nano-credits → the shortest exact decimal credits: 12500000000 → "12.5", 1 → "0.000000001". */
export function formatCredits(nanoCredits: number): string {
  const sign = nanoCredits < 0 ? "-" : "";
  const magnitude = Math.abs(Math.round(nanoCredits));
  const whole = Math.floor(magnitude / NANO_CREDITS_PER_CREDIT);
  const fraction = magnitude % NANO_CREDITS_PER_CREDIT;
  if (fraction === 0) return `${sign}${whole}`;
  // Trailing zeros dropped by dividing them away (every answer's cost is formatted: no regex).
  let digits = 9;
  let rest = fraction;
  while (rest % 10 === 0) {
    rest /= 10;
    digits -= 1;
  }
  return `${sign}${whole}.${String(rest).padStart(digits, "0")}`;
}
