import { z } from "zod";

/**
 * An object whose `type` this gateway does not translate (a hosted tool, an audio part, an item
 * type newer than this code). It is kept apart, not refused, so that the translation can say
 * what it dropped; the original object stays in `value`.
 */
export interface UnsupportedTyped {
  readonly type: "unsupported";
  readonly unsupportedType: string;
  readonly value: Record<string, unknown>;
}

/**
 * The OpenAI APIs add object types often. Objects of a known `type` are checked against their
 * schema (a bad one is a 400 naming the field); objects of any other type become
 * `UnsupportedTyped`, so a translator can switch over the known types exhaustively.
 * `defaultType` is the type of an object that has none (Responses input messages may omit it).
 */
export function knownTypeOrUnsupported<Known extends z.ZodType>(
  known: Known,
  knownTypes: readonly string[],
  defaultType?: { readonly type: string; readonly when: string },
): z.ZodType<z.output<Known> | UnsupportedTyped, unknown> {
  return z
    .looseObject({ type: z.string().optional() })
    .transform((value, context): z.output<Known> | UnsupportedTyped => {
      const type =
        value.type ??
        (defaultType !== undefined && defaultType.when in value ? defaultType.type : undefined);
      if (type === undefined) {
        context.addIssue({ code: "custom", message: "Required", path: ["type"], input: value });
        return z.NEVER;
      }
      if (!knownTypes.includes(type)) return { type: "unsupported", unsupportedType: type, value };
      const result = known.safeParse({ ...value, type });
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

export { stringOrArrayOf } from "../string-or-array-of.js";

/**
 * A mode string or an object, as `tool_choice` takes: each reports its own issue rather than the
 * "Invalid input" of a plain union.
 */
export function stringOrObject<Mode extends z.ZodType<string>, Choice extends z.ZodType>(
  mode: Mode,
  object: Choice,
): z.ZodType<z.output<Mode> | z.output<Choice>, unknown> {
  return z
    .union([z.string(), z.looseObject({})], { error: "Expected a string or an object" })
    .transform((value, context): z.output<Mode> | z.output<Choice> => {
      const result = typeof value === "string" ? mode.safeParse(value) : object.safeParse(value);
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
