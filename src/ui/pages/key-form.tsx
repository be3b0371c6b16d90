import type { UiKeyInput, UiKeyLimits } from "../../protocols/ui-api.js";
import { useI18n, type MessageKey } from "../i18n/i18n.js";

/** The limit fields as typed; empty means no limit. */
export interface LimitFields {
  creditsPerDay: string;
  creditsPerMonth: string;
  requestsPerMinute: string;
  concurrency: string;
  models: string;
  fallbackModel: string;
}

export const EMPTY_LIMITS: LimitFields = {
  creditsPerDay: "",
  creditsPerMonth: "",
  requestsPerMinute: "",
  concurrency: "",
  models: "",
  fallbackModel: "",
};

export function fieldsOf(limits: UiKeyLimits): LimitFields {
  return {
    creditsPerDay: limits.creditsPerDay ?? "",
    creditsPerMonth: limits.creditsPerMonth ?? "",
    requestsPerMinute: limits.requestsPerMinute === null ? "" : String(limits.requestsPerMinute),
    concurrency: limits.concurrency === null ? "" : String(limits.concurrency),
    models: limits.models?.join(", ") ?? "",
    fallbackModel: limits.fallbackModel ?? "",
  };
}

/** The API's UiKeyInput for the fields: an empty field clears its limit (null). */
export function inputOf(fields: LimitFields): UiKeyInput {
  const text = (value: string): string | null => (value.trim() === "" ? null : value.trim());
  const count = (value: string): number | null => (value.trim() === "" ? null : Number(value));
  const models = fields.models
    .split(",")
    .map((model) => model.trim())
    .filter((model) => model !== "");
  return {
    creditsPerDay: text(fields.creditsPerDay),
    creditsPerMonth: text(fields.creditsPerMonth),
    requestsPerMinute: count(fields.requestsPerMinute),
    concurrency: count(fields.concurrency),
    models: models.length === 0 ? null : models,
    fallbackModel: text(fields.fallbackModel),
  };
}

const FIELDS: readonly {
  readonly name: keyof LimitFields;
  readonly label: MessageKey;
  readonly type: "credits" | "count" | "text";
}[] = [
  { name: "creditsPerDay", label: "keys.creditsPerDay", type: "credits" },
  { name: "creditsPerMonth", label: "keys.creditsPerMonth", type: "credits" },
  { name: "requestsPerMinute", label: "keys.requestsPerMinute", type: "count" },
  { name: "concurrency", label: "keys.concurrency", type: "count" },
  { name: "models", label: "keys.models", type: "text" },
  { name: "fallbackModel", label: "keys.fallbackModel", type: "text" },
];

interface LimitInputsProps {
  readonly idPrefix: string;
  readonly fields: LimitFields;
  readonly onChange: (fields: LimitFields) => void;
}

export function LimitInputs({ idPrefix, fields, onChange }: LimitInputsProps) {
  const { t } = useI18n();
  return (
    <div class="form-grid">
      {FIELDS.map((field) => {
        const id = `${idPrefix}-${field.name}`;
        return (
          <div class="field" key={field.name}>
            <label for={id}>{t(field.label)}</label>
            <input
              id={id}
              name={field.name}
              value={fields[field.name]}
              inputMode={
                field.type === "text" ? "text" : field.type === "count" ? "numeric" : "decimal"
              }
              pattern={
                field.type === "credits"
                  ? "\\d+(\\.\\d{1,9})?"
                  : field.type === "count"
                    ? "[1-9]\\d*"
                    : undefined
              }
              aria-describedby={`${idPrefix}-hint`}
              autoComplete="off"
              onInput={(event) => onChange({ ...fields, [field.name]: event.currentTarget.value })}
            />
          </div>
        );
      })}
      <p class="muted small field-wide" id={`${idPrefix}-hint`}>
        {t("keys.optional")}
      </p>
    </div>
  );
}
