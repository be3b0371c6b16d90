/** Date.prototype.toISOString keeps the `YYYY-MM-DDTHH:mm:ss.sssZ` shape up to the year 9999. */
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

/**
 * `new Date(ms).toISOString()`, about ten times cheaper: the part up to the seconds is built once
 * per second and reused, only the milliseconds are added per call. Every request line has a time,
 * so this runs once per request.
 */
export function createIsoTimeFormatter(): (ms: number) => string {
  let cachedSecond = Number.NaN;
  let cachedPrefix = "";
  return (ms) => {
    if (!Number.isInteger(ms) || ms < 0 || ms > LAST_FOUR_DIGIT_YEAR_MS) {
      return new Date(ms).toISOString();
    }
    const second = Math.floor(ms / 1000);
    if (second !== cachedSecond) {
      cachedSecond = second;
      // "2026-11-29T15:04:05." from "2026-11-29T15:04:05.000Z"
      cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
    }
    const millis = ms - second * 1000;
    return `${cachedPrefix}${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
  };
}
