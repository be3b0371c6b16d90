import type { Language, Translate } from "./i18n/i18n.js";

const NANO_PER_CREDIT = 1_000_000_000;

function locale(language: Language): string {
  return language === "zh" ? "zh-CN" : "en-US";
}

export function formatNumber(language: Language, value: number): string {
  return new Intl.NumberFormat(locale(language)).format(value);
}

/** Credits for reading: up to 4 decimals, or 2 significant digits below 0.01 (the exact value
 * stays in the API and the CSV). */
export function formatCredits(language: Language, credits: string | number): string {
  const value = typeof credits === "number" ? credits : Number(credits);
  // Small amounts keep two significant digits rather than rounding to 0.
  const options: Intl.NumberFormatOptions =
    value !== 0 && Math.abs(value) < 0.01
      ? { maximumSignificantDigits: 2 }
      : { maximumFractionDigits: 4 };
  return new Intl.NumberFormat(locale(language), options).format(value);
}

export function formatPercent(language: Language, percent: number): string {
  return new Intl.NumberFormat(locale(language), {
    style: "percent",
    maximumFractionDigits: 1,
  }).format(percent / 100);
}

export function formatTime(language: Language, iso: string): string {
  return new Intl.DateTimeFormat(locale(language), {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));
}

export function formatClock(language: Language, iso: string): string {
  return new Intl.DateTimeFormat(locale(language), { timeStyle: "medium" }).format(new Date(iso));
}

/** "2 d 3 h", "3 h 20 min", "4 min 5 s": the two largest units. */
export function formatDuration(t: Translate, totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const parts: string[] = [];
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (days > 0) parts.push(t("duration.days", { n: days }));
  if (hours > 0 || days > 0) parts.push(t("duration.hours", { n: hours }));
  if (days === 0) parts.push(t("duration.minutes", { n: minutes }));
  if (days === 0 && hours === 0) parts.push(t("duration.seconds", { n: rest }));
  return parts.slice(0, 2).join(" ");
}

/** A decimal credits string ("12.5") in nano-credits, exactly; null when it is not one. */
export function creditsToNano(credits: string): number | null {
  const match = /^(\d+)(?:\.(\d{1,9}))?$/.exec(credits.trim());
  if (match === null) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? "").padEnd(9, "0"));
  return whole * NANO_PER_CREDIT + fraction;
}

/** Credits per million tokens from a price in nano-credits per `per` tokens. */
export function pricePerMillion(nanoCredits: number, per: number): number {
  return (nanoCredits / NANO_PER_CREDIT) * (1_000_000 / per);
}
