/** `business (copilot_for_business_seat_quota)`: GitHub's plan name, then the seat's sku. */
export function describePlan(
  plan: string | undefined,
  sku: string | undefined,
): string | undefined {
  if (plan !== undefined && sku !== undefined) return `${plan} (${sku})`;
  return plan ?? sku;
}
