const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * An ISO date or time on the command line (`2026-12-31`, `2026-12-31T18:00Z`) as epoch ms, or
 * undefined when the text is not of that form. A date alone is midnight UTC; a day that is not on
 * the calendar (Date.parse rolls 02-30 over to March) is an error.
 */
export function parseIsoTime(text: string): number | undefined {
  if (!ISO_TIME.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at) || !isCalendarDate(text.slice(0, 10))) throw new Error("not a real date");
  return at;
}

function isCalendarDate(date: string): boolean {
  const [year, month, day] = date.split("-").map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}
