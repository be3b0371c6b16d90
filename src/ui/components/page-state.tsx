import { useI18n } from "../i18n/i18n.js";

/** What a page shows while its data loads or when it failed. */
export function PageState({ error, retry }: { error: Error | null; retry: () => void }) {
  const { t } = useI18n();
  if (error === null) {
    return (
      <p class="muted" role="status">
        {t("app.loading")}
      </p>
    );
  }
  return (
    <div class="alert" role="alert">
      <p>{t("app.error", { message: error.message })}</p>
      <button type="button" onClick={retry}>
        {t("app.retry")}
      </button>
    </div>
  );
}
