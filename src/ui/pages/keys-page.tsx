import { useEffect, useRef, useState } from "preact/hooks";
import type { UiCreatedKey, UiKey, UiKeyChanged, UiKeyList } from "../../protocols/ui-api.js";
import { Meter } from "../components/meter.js";
import { PageState } from "../components/page-state.js";
import { SecretPanel } from "../components/secret-panel.js";
import { creditsToNano, formatCredits, formatPercent, formatTime } from "../format.js";
import { useI18n, type MessageKey } from "../i18n/i18n.js";
import { useSession } from "../session.js";
import { useApiData } from "../use-api-data.js";
import { EMPTY_LIMITS, fieldsOf, inputOf, LimitInputs, type LimitFields } from "./key-form.js";
import { PageHeading } from "./page-heading.js";

export function KeysPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const { data, error, reload } = useApiData<UiKeyList>("keys", 30_000);
  const [created, setCreated] = useState<UiCreatedKey | null>(null);
  const [notice, setNotice] = useState("");
  const admin = session?.role === "admin";
  return (
    <>
      <PageHeading>{t("keys.title")}</PageHeading>
      <p class="muted">{t("keys.intro")}</p>
      <p class="sr-only" role="status">
        {notice}
      </p>
      {created !== null && (
        <SecretPanel
          title={t("keys.created", { name: created.key.name })}
          secret={created.secret}
          snippets={created.snippets}
        >
          <button type="button" onClick={() => setCreated(null)}>
            {t("keys.dismiss")}
          </button>
        </SecretPanel>
      )}
      {admin && created === null && (
        <CreateKeyForm
          onCreated={(result) => {
            setCreated(result);
            reload();
          }}
        />
      )}
      <section aria-labelledby="key-list">
        <h2 id="key-list">{t("keys.list")}</h2>
        {data === null ? (
          <PageState error={error} retry={reload} />
        ) : data.keys.length === 0 ? (
          <p class="muted">{t("keys.empty")}</p>
        ) : (
          <ul class="key-list">
            {data.keys.map((key) => (
              <KeyItem
                key={key.name}
                item={key}
                editable={admin && key.source === "managed" && key.status === "active"}
                onChanged={(message) => {
                  setNotice(message);
                  reload();
                }}
              />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (created: UiCreatedKey) => void }) {
  const { t } = useI18n();
  const { api, onApiError } = useSession();
  const [name, setName] = useState("");
  const [expires, setExpires] = useState("");
  const [fields, setFields] = useState<LimitFields>(EMPTY_LIMITS);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  const submit = (event: Event): void => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const expiresAt = expires === "" ? null : new Date(`${expires}T00:00:00`).toISOString();
    api.post<UiCreatedKey>("keys", { name: name.trim(), expiresAt, ...inputOf(fields) }).then(
      (result) => {
        setBusy(false);
        setName("");
        setExpires("");
        setFields(EMPTY_LIMITS);
        onCreated(result);
      },
      (reason: unknown) => {
        setBusy(false);
        if (reason instanceof Error) {
          onApiError(reason);
          setError(reason.message);
        }
      },
    );
  };
  return (
    <details class="panel" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary id="create-key">{t("keys.create")}</summary>
      <form onSubmit={submit} aria-labelledby="create-key">
        <div class="form-grid">
          <div class="field">
            <label for="new-key-name">{t("keys.name")}</label>
            <input
              id="new-key-name"
              name="name"
              required
              pattern="[A-Za-z0-9._\-]+"
              maxLength={64}
              autoComplete="off"
              aria-describedby="new-key-name-hint"
              value={name}
              onInput={(event) => setName(event.currentTarget.value)}
            />
            <p class="muted small" id="new-key-name-hint">
              {t("keys.nameHint")}
            </p>
          </div>
          <div class="field">
            <label for="new-key-expires">{t("keys.expiresAt")}</label>
            <input
              id="new-key-expires"
              name="expiresAt"
              type="date"
              value={expires}
              onInput={(event) => setExpires(event.currentTarget.value)}
            />
          </div>
        </div>
        <LimitInputs idPrefix="new-key" fields={fields} onChange={setFields} />
        {error !== null && (
          <p class="alert" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t("keys.submit")}
        </button>
      </form>
    </details>
  );
}

interface KeyItemProps {
  readonly item: UiKey;
  readonly editable: boolean;
  readonly onChanged: (message: string) => void;
}

function KeyItem({ item, editable, onChanged }: KeyItemProps) {
  const { t, language } = useI18n();
  const [mode, setMode] = useState<"view" | "edit" | "revoke">("view");
  const limits = item.limits;
  const summary: string[] = [];
  if (limits.creditsPerDay !== null)
    summary.push(t("keys.limit.day", { value: limits.creditsPerDay }));
  if (limits.creditsPerMonth !== null)
    summary.push(t("keys.limit.month", { value: limits.creditsPerMonth }));
  if (limits.requestsPerMinute !== null)
    summary.push(t("keys.limit.rpm", { value: limits.requestsPerMinute }));
  if (limits.concurrency !== null)
    summary.push(t("keys.limit.concurrency", { value: limits.concurrency }));
  if (limits.models !== null)
    summary.push(t("keys.limit.models", { value: limits.models.join(", ") }));
  if (limits.fallbackModel !== null)
    summary.push(t("keys.limit.fallback", { value: limits.fallbackModel }));
  const headingId = `key-${item.name}`;
  return (
    <li class="card key" data-key={item.name} aria-labelledby={headingId}>
      <div class="key-head">
        <h3 id={headingId}>{item.name}</h3>
        <span class={`badge badge-${item.status}`}>
          {t(`keys.status.${item.status}` as MessageKey)}
        </span>
        {item.source !== "managed" && (
          <span class="tag">{t("keys.source", { source: item.source })}</span>
        )}
      </div>
      <p class="muted small">
        {item.fingerprint !== null && <span class="mono">{item.fingerprint} · </span>}
        {item.createdAt !== null &&
          t("keys.created.at", { time: formatTime(language, item.createdAt) })}
        {item.expiresAt !== null && (
          <> · {t("keys.expires.at", { time: formatTime(language, item.expiresAt) })}</>
        )}
      </p>
      <p>
        {t("keys.limits")}: {summary.length === 0 ? t("common.unlimited") : summary.join(" · ")}
      </p>
      <BudgetBar
        label={t("keys.budgetDay")}
        spentNano={item.spend.todayNano}
        spent={item.spend.today}
        limit={limits.creditsPerDay}
        testId="budget-day"
      />
      <BudgetBar
        label={t("keys.budgetMonth")}
        spentNano={item.spend.monthNano}
        spent={item.spend.month}
        limit={limits.creditsPerMonth}
        testId="budget-month"
      />
      {limits.creditsPerDay === null && limits.creditsPerMonth === null && (
        <p class="small">
          {t("keys.spendToday", { credits: formatCredits(language, item.spend.today) })} ·{" "}
          {t("keys.spendMonth", { credits: formatCredits(language, item.spend.month) })} ·{" "}
          <span class="muted">{t("keys.noBudget")}</span>
        </p>
      )}
      {editable && mode === "view" && (
        <div class="actions">
          <button
            type="button"
            onClick={() => setMode("edit")}
            aria-label={`${t("keys.edit")}: ${item.name}`}
          >
            {t("keys.edit")}
          </button>
          <button
            type="button"
            class="danger"
            onClick={() => setMode("revoke")}
            aria-label={`${t("keys.revoke")}: ${item.name}`}
          >
            {t("keys.revoke")}
          </button>
        </div>
      )}
      {mode === "edit" && (
        <EditLimits
          item={item}
          onDone={(message) => {
            setMode("view");
            if (message !== null) onChanged(message);
          }}
        />
      )}
      {mode === "revoke" && (
        <ConfirmRevoke
          item={item}
          onDone={(message) => {
            setMode("view");
            if (message !== null) onChanged(message);
          }}
        />
      )}
    </li>
  );
}

interface BudgetBarProps {
  readonly label: string;
  readonly spentNano: number;
  readonly spent: string;
  readonly limit: string | null;
  readonly testId: string;
}

function BudgetBar({ label, spentNano, spent, limit, testId }: BudgetBarProps) {
  const { t, language } = useI18n();
  if (limit === null) return null;
  const limitNano = creditsToNano(limit);
  if (limitNano === null) return null;
  const percent = limitNano === 0 ? 100 : Math.min(100, (spentNano / limitNano) * 100);
  const text = t("keys.budgetOf", {
    spent: formatCredits(language, spent),
    limit: formatCredits(language, limit),
    percent: formatPercent(language, percent),
  });
  return (
    <div class="budget" data-testid={testId}>
      <div class="budget-label small">
        <span>{label}</span>
        <span>{text}</span>
      </div>
      <Meter kind="used" label={label} percent={percent} valueText={text} />
    </div>
  );
}

function EditLimits({ item, onDone }: { item: UiKey; onDone: (message: string | null) => void }) {
  const { t } = useI18n();
  const { api, onApiError } = useSession();
  const [fields, setFields] = useState<LimitFields>(fieldsOf(item.limits));
  const [error, setError] = useState<string | null>(null);
  const save = (event: Event): void => {
    event.preventDefault();
    api.post<UiKeyChanged>("keys/update", { name: item.name, ...inputOf(fields) }).then(
      () => onDone(t("keys.saved", { name: item.name })),
      (reason: unknown) => {
        if (reason instanceof Error) {
          onApiError(reason);
          setError(reason.message);
        }
      },
    );
  };
  const idPrefix = `edit-${item.name}`;
  return (
    <form class="panel" onSubmit={save} aria-labelledby={`${idPrefix}-title`}>
      <h4 id={`${idPrefix}-title`}>{t("keys.editTitle", { name: item.name })}</h4>
      <LimitInputs idPrefix={idPrefix} fields={fields} onChange={setFields} />
      {error !== null && (
        <p class="alert" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary">
          {t("common.save")}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

function ConfirmRevoke({
  item,
  onDone,
}: {
  item: UiKey;
  onDone: (message: string | null) => void;
}) {
  const { t } = useI18n();
  const { api, onApiError } = useSession();
  const [error, setError] = useState<string | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmButton.current?.focus(), []);
  const revoke = (): void => {
    api.post<UiKeyChanged>("keys/revoke", { name: item.name }).then(
      () => onDone(t("keys.revoked", { name: item.name })),
      (reason: unknown) => {
        if (reason instanceof Error) {
          onApiError(reason);
          setError(reason.message);
        }
      },
    );
  };
  return (
    <div class="panel confirm" role="group" aria-label={t("keys.revoke")}>
      <p>{t("keys.revokeConfirm", { name: item.name })}</p>
      {error !== null && (
        <p class="alert" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="button" class="danger" onClick={revoke} ref={confirmButton}>
          {t("keys.revokeYes", { name: item.name })}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          {t("common.cancel")}
        </button>
      </div>
    </div>
  );
}
