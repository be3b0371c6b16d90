import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { ApiError, createApi } from "./api.js";
import type { UiSessionInfo } from "../protocols/ui-api.js";
import {
  createTranslate,
  I18nContext,
  LANGUAGES,
  readLanguage,
  rememberLanguage,
  type I18n,
  type Language,
  type MessageKey,
  useI18n,
} from "./i18n/i18n.js";
import { HealthPage } from "./pages/health-page.js";
import { JoinPage } from "./pages/join-page.js";
import { KeysPage } from "./pages/keys-page.js";
import { ModelsPage } from "./pages/models-page.js";
import { OverviewPage } from "./pages/overview-page.js";
import { PageHeading } from "./pages/page-heading.js";
import { RequestsPage } from "./pages/requests-page.js";
import { SignInPage } from "./pages/sign-in-page.js";
import { SpendPage } from "./pages/spend-page.js";
import { followLink, navigate, pathOf, useRoute, type Route } from "./router.js";
import { SessionContext, useSession, type SessionContextValue } from "./session.js";

type NavRoute = "overview" | "spend" | "requests" | "keys" | "models" | "health";

const NAV: readonly {
  readonly route: NavRoute;
  readonly label: MessageKey;
  readonly adminOnly: boolean;
}[] = [
  { route: "overview", label: "nav.overview", adminOnly: false },
  { route: "spend", label: "nav.spend", adminOnly: false },
  { route: "requests", label: "nav.requests", adminOnly: false },
  { route: "keys", label: "nav.keys", adminOnly: false },
  { route: "models", label: "nav.models", adminOnly: false },
  { route: "health", label: "nav.health", adminOnly: true },
];

export function App() {
  const [language, setLanguageState] = useState<Language>(readLanguage);
  const i18n = useMemo<I18n>(
    () => ({
      language,
      t: createTranslate(language),
      setLanguage: (next) => {
        rememberLanguage(next);
        setLanguageState(next);
      },
    }),
    [language],
  );
  useEffect(() => {
    document.documentElement.lang = language === "zh" ? "zh-CN" : "en";
  }, [language]);

  // undefined: not known yet; null: signed out.
  const [session, setSession] = useState<UiSessionInfo | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    try {
      setSession(await createApi(null).get<UiSessionInfo>("session"));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setSession(null);
      else throw error;
    }
  }, []);
  useEffect(() => {
    refresh().catch(() => setSession(null));
  }, [refresh]);
  const api = useMemo(() => createApi(session?.csrfToken ?? null), [session]);
  const onApiError = useCallback((error: Error) => {
    if (error instanceof ApiError && error.status === 401) setSession(null);
  }, []);
  const sessionValue = useMemo<SessionContextValue>(
    () => ({
      session: session ?? null,
      api,
      onApiError,
      refresh,
      signedIn: (next) => {
        setSession(next);
        if (location.pathname.startsWith(pathOf("sign-in"))) navigate(pathOf("overview"), true);
      },
      signOut: () => {
        api.remove("session").then(
          () => setSession(null),
          () => setSession(null),
        );
      },
    }),
    [session, api, onApiError, refresh],
  );
  return (
    <I18nContext.Provider value={i18n}>
      <SessionContext.Provider value={sessionValue}>
        <Layout known={session !== undefined} />
      </SessionContext.Provider>
    </I18nContext.Provider>
  );
}

function Layout({ known }: { known: boolean }) {
  const { t, language, setLanguage } = useI18n();
  const { session, signOut } = useSession();
  const route = useRoute();
  const visibleNav = NAV.filter((item) => !item.adminOnly || session?.role === "admin");
  return (
    <>
      <a class="skip-link" href="#main">
        {t("app.skip")}
      </a>
      <header class="top">
        <a class="brand" href={pathOf("overview")} onClick={followLink}>
          CoGPT
        </a>
        {session !== null && (
          <nav aria-label={t("app.nav")}>
            <ul>
              {visibleNav.map((item) => (
                <li key={item.route}>
                  <a
                    href={pathOf(item.route)}
                    onClick={followLink}
                    aria-current={route === item.route ? "page" : undefined}
                  >
                    {t(item.label)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div class="top-tools">
          <label class="language">
            <span class="sr-only">{t("app.language")}</span>
            <select
              value={language}
              onChange={(event) => setLanguage(event.currentTarget.value as Language)}
            >
              {LANGUAGES.map((option) => (
                <option
                  key={option.code}
                  value={option.code}
                  lang={option.code === "zh" ? "zh-CN" : "en"}
                >
                  {option.label}
                </option>
              ))}
            </select>
          </label>
          {session !== null && (
            <button
              type="button"
              class="button-small"
              onClick={signOut}
              title={
                session.role === "admin"
                  ? t("app.signedInAdmin")
                  : t("app.signedInFriend", { name: session.keyName ?? "" })
              }
            >
              {t("app.signOut")}
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {!known ? (
          <p class="muted" role="status">
            {t("app.loading")}
          </p>
        ) : (
          <Page route={route} />
        )}
      </main>
    </>
  );
}

function Page({ route }: { route: Route }) {
  const { t } = useI18n();
  const { session } = useSession();
  if (route === "join") return <JoinPage />;
  if (session === null) return <SignInPage />;
  switch (route) {
    case "overview":
    case "sign-in":
      return <OverviewPage />;
    case "spend":
      return <SpendPage />;
    case "requests":
      return <RequestsPage />;
    case "keys":
      return <KeysPage />;
    case "models":
      return <ModelsPage />;
    case "health":
      return session.role === "admin" ? <HealthPage /> : <NotFound text={t("app.notFound")} />;
    case "not-found":
      return <NotFound text={t("app.notFound")} />;
    default: {
      const unknown: never = route;
      return <NotFound text={String(unknown)} />;
    }
  }
}

function NotFound({ text }: { text: string }) {
  return <PageHeading>{text}</PageHeading>;
}
