import { useEffect, useState } from "preact/hooks";
import { ApiError, createApi } from "../api.js";
import type { UiSessionInfo } from "../../protocols/ui-api.js";
import { useI18n } from "../i18n/i18n.js";
import { pathOf } from "../router.js";
import { useSession } from "../session.js";
import { PageHeading } from "./page-heading.js";

export function SignInPage() {
  const { t } = useI18n();
  const { signedIn } = useSession();
  const [as, setAs] = useState<"owner" | "friend">("owner");
  const [secret, setSecret] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [joinEnabled, setJoinEnabled] = useState(false);
  useEffect(() => {
    createApi(null)
      .get<{ enabled: boolean }>("join")
      .then(
        (answer) => setJoinEnabled(answer.enabled),
        () => setJoinEnabled(false),
      );
  }, []);
  const submit = (event: Event): void => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body = as === "owner" ? { adminKey: secret } : { key: secret.trim() };
    createApi(null)
      .post<UiSessionInfo>("session", body)
      .then(
        (session) => {
          setBusy(false);
          setSecret("");
          signedIn(session);
        },
        (reason: unknown) => {
          setBusy(false);
          setError(
            reason instanceof ApiError && reason.status === 401
              ? t("signIn.invalid")
              : reason instanceof Error
                ? reason.message
                : String(reason),
          );
        },
      );
  };
  return (
    <div class="narrow">
      <PageHeading>{t("signIn.title")}</PageHeading>
      <p>{t("signIn.intro")}</p>
      <form class="panel" onSubmit={submit}>
        <fieldset>
          <legend>{t("signIn.as")}</legend>
          <label class="choice">
            <input
              type="radio"
              name="as"
              value="owner"
              checked={as === "owner"}
              onChange={() => setAs("owner")}
            />
            {t("signIn.owner")}
          </label>
          <label class="choice">
            <input
              type="radio"
              name="as"
              value="friend"
              checked={as === "friend"}
              onChange={() => setAs("friend")}
            />
            {t("signIn.friend")}
          </label>
        </fieldset>
        <div class="field">
          <label for="sign-in-secret">{t(as === "owner" ? "signIn.adminKey" : "signIn.key")}</label>
          <input
            id="sign-in-secret"
            type="password"
            name="secret"
            required
            autoComplete="current-password"
            value={secret}
            onInput={(event) => setSecret(event.currentTarget.value)}
          />
        </div>
        {error !== null && (
          <p class="alert" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t("signIn.submit")}
        </button>
      </form>
      <p class="muted small">{t("signIn.linkHint")}</p>
      {joinEnabled && (
        <p>
          <a href={pathOf("join")}>{t("signIn.join")}</a>
        </p>
      )}
    </div>
  );
}
