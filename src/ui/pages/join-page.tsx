import { useEffect, useState } from "preact/hooks";
import { ApiError, createApi } from "../api.js";
import type { UiJoinPoll, UiJoinStart } from "../../protocols/ui-api.js";
import { CopyButton } from "../components/copy-button.js";
import { QrCode } from "../components/qr-code.js";
import { SecretPanel } from "../components/secret-panel.js";
import { formatDuration } from "../format.js";
import { useI18n } from "../i18n/i18n.js";
import { navigate, pathOf } from "../router.js";
import { useSession } from "../session.js";
import { PageHeading } from "./page-heading.js";

type JoinState =
  | { readonly step: "code" }
  | { readonly step: "device"; readonly start: UiJoinStart }
  | { readonly step: "done"; readonly answer: Extract<UiJoinPoll, { status: "done" }> }
  | { readonly step: "failed"; readonly message: string };

export function JoinPage() {
  const { t } = useI18n();
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [state, setState] = useState<JoinState>({ step: "code" });
  useEffect(() => {
    createApi(null)
      .get<{ enabled: boolean }>("join")
      .then(
        (answer) => setEnabled(answer.enabled),
        () => setEnabled(false),
      );
  }, []);
  return (
    <div class="narrow">
      <PageHeading>{t("join.title")}</PageHeading>
      {enabled === null ? (
        <p class="muted" role="status">
          {t("app.loading")}
        </p>
      ) : !enabled ? (
        <p>{t("join.disabled")}</p>
      ) : state.step === "code" ? (
        <CodeForm onStarted={(start) => setState({ step: "device", start })} />
      ) : state.step === "device" ? (
        <DeviceStep start={state.start} onFinished={setState} />
      ) : state.step === "done" ? (
        <Joined answer={state.answer} />
      ) : (
        <div class="alert" role="alert">
          <p>{state.message}</p>
          <button type="button" onClick={() => setState({ step: "code" })}>
            {t("join.again")}
          </button>
        </div>
      )}
    </div>
  );
}

function CodeForm({ onStarted }: { onStarted: (start: UiJoinStart) => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = (event: Event): void => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    createApi(null)
      .post<UiJoinStart>("join/start", { code: code.trim() })
      .then(
        (start) => {
          setBusy(false);
          onStarted(start);
        },
        (reason: unknown) => {
          setBusy(false);
          setError(
            reason instanceof ApiError && reason.status === 403
              ? t("join.invalid")
              : reason instanceof Error
                ? reason.message
                : String(reason),
          );
        },
      );
  };
  return (
    <>
      <p>{t("join.intro")}</p>
      <form class="panel" onSubmit={submit}>
        <div class="field">
          <label for="invite-code">{t("join.code")}</label>
          <input
            id="invite-code"
            name="code"
            required
            autoComplete="off"
            value={code}
            onInput={(event) => setCode(event.currentTarget.value)}
          />
        </div>
        {error !== null && (
          <p class="alert" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t("join.start")}
        </button>
      </form>
    </>
  );
}

function DeviceStep({
  start,
  onFinished,
}: {
  start: UiJoinStart;
  onFinished: (state: JoinState) => void;
}) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  const expiresAtMs = Date.parse(start.expiresAt);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  // Ask the gateway at GitHub's pace; it answers pending until the user approves.
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = (): void => {
      createApi(null)
        .post<UiJoinPoll>("join/poll", { joinId: start.joinId })
        .then(
          (answer) => {
            if (stopped) return;
            switch (answer.status) {
              case "pending":
                timer = setTimeout(poll, start.interval * 1000);
                return;
              case "done":
                onFinished({ step: "done", answer });
                return;
              case "expired":
                onFinished({ step: "failed", message: t("join.expired") });
                return;
              case "denied":
                onFinished({
                  step: "failed",
                  message: t("join.denied", { message: answer.message }),
                });
                return;
              default: {
                const unexpected: never = answer;
                throw new Error(`unexpected join answer ${JSON.stringify(unexpected)}`);
              }
            }
          },
          (reason: unknown) => {
            if (stopped) return;
            onFinished({
              step: "failed",
              message: reason instanceof Error ? reason.message : String(reason),
            });
          },
        );
    };
    timer = setTimeout(poll, start.interval * 1000);
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [start, onFinished, t]);
  const secondsLeft = Math.max(0, (expiresAtMs - now) / 1000);
  return (
    <section class="panel device" aria-labelledby="device-step">
      <h2 id="device-step" class="device-text">
        {t("join.step", { uri: start.verificationUri })}
      </h2>
      <div class="device-code">
        <code class="user-code" data-testid="user-code">
          {start.userCode}
        </code>
        <CopyButton text={start.userCode} label={`${t("common.copy")}: ${start.userCode}`} />
      </div>
      <p>
        <a href={start.verificationUri} target="_blank" rel="noreferrer" class="button primary">
          {start.verificationUri}
        </a>
      </p>
      <QrCode text={start.verificationUri} label={t("join.qr", { uri: start.verificationUri })} />
      <p role="timer" aria-live="off" data-testid="countdown">
        {t("join.countdown", { time: formatDuration(t, secondsLeft) })}
      </p>
      <p class="muted" role="status">
        {t("join.waiting")}
      </p>
    </section>
  );
}

function Joined({ answer }: { answer: Extract<UiJoinPoll, { status: "done" }> }) {
  const { t } = useI18n();
  const { refresh } = useSession();
  return (
    <SecretPanel
      title={t("join.done", { name: answer.key.name })}
      secret={answer.secret}
      snippets={answer.snippets}
    >
      <button
        type="button"
        class="primary"
        onClick={() => {
          void refresh().then(() => navigate(pathOf("overview")));
        }}
      >
        {t("join.toOverview")}
      </button>
    </SecretPanel>
  );
}
