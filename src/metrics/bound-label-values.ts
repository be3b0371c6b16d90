/** What a label value outside the bounds is reported as. */
export const OTHER_LABEL_VALUE = "other";

/** Model ids (`claude-sonnet-4.5`), key names (`API_KEYS#1`, `alice`), fingerprints (`key:1a2b3c4d`). */
const LABEL_VALUE_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._:@#/+-]{0,63}$/;

/**
 * Keeps one label's values few and plain: a value longer than 64 characters or outside a
 * conservative character set, and any new value once `maxValues` distinct ones were seen, is
 * reported as `other`. A client can put anything in a model name; each distinct value would be a
 * new time series in Prometheus for as long as the process lives.
 */
export function createLabelValueBound(maxValues: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (!LABEL_VALUE_SHAPE.test(value) || seen.size >= maxValues) return OTHER_LABEL_VALUE;
    seen.add(value);
    return value;
  };
}
