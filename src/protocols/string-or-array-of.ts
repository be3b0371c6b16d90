import { z } from "zod";

/**
 * A string or an array of items. A plain `z.union` would report a bad item as "Invalid input" on
 * the whole field; this reports the issue of the item itself (`input[0].content[2].text`).
 */
export function stringOrArrayOf<Item extends z.ZodType>(
  item: Item,
  message = "Expected a string or an array",
): z.ZodType<string | z.output<Item>[], unknown> {
  const array = z.array(item);
  return z
    .union([z.string(), z.array(z.unknown())], { error: message })
    .transform((value, context): string | z.output<Item>[] => {
      if (typeof value === "string") return value;
      const result = array.safeParse(value);
      if (result.success) return result.data;
      for (const issue of result.error.issues) {
        context.addIssue({
          code: "custom",
          message: issue.message,
          path: issue.path,
          input: value,
        });
      }
      return z.NEVER;
    });
}
