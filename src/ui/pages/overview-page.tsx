import type { UiAccount, UiOverview, UiQuotaWindow } from "../../protocols/ui-api.js";
import { Meter } from "../components/meter.js";
import { PageState } from "../components/page-state.js";
import {
  formatCredits,
  formatDuration,
  formatNumber,
  formatPercent,
  formatTime,
} from "../format.js";
import { useI18n, type Translate } from "../i18n/i18n.js";
import { useApiData } from "../use-api-data.js";
import { PageHeading } from "./page-heading.js";

export function OverviewPage() {
  const { t, language } = useI18n();
  const { data, error, reload } = useApiData<UiOverview>("overview", 15_000);
  return (
    <>
      <PageHeading>{t("overview.title")}</PageHeading>
      {data === null ? (
        <PageState error={error} retry={reload} />
      ) : (
        <>
          <section aria-labelledby="last24h">
            <h2 id="last24h">{t("overview.last24h")}</h2>
            <dl class="stats">
              <div class="stat">
                <dt>{t("overview.requests")}</dt>
                <dd data-testid="requests-24h">{formatNumber(language, data.last24h.requests)}</dd>
              </div>
              <div class="stat">
                <dt>{t("overview.credits")}</dt>
                <dd>{formatCredits(language, data.last24h.credits)}</dd>
              </div>
              <div class="stat">
                <dt>{t("overview.errorRate")}</dt>
                <dd>
                  {formatPercent(language, data.last24h.errorRate * 100)}
                  <span class="stat-note">
                    {t("overview.errors", { n: formatNumber(language, data.last24h.errors) })}
                  </span>
                </dd>
              </div>
              <div class="stat">
                <dt>{t("overview.streamsOpen")}</dt>
                <dd>{formatNumber(language, data.streamsOpen)}</dd>
              </div>
            </dl>
          </section>
          <section aria-labelledby="accounts">
            <h2 id="accounts">{t("overview.accounts")}</h2>
            {data.accounts.length === 0 ? (
              <p class="muted">{t("overview.noAccounts")}</p>
            ) : (
              <div class="cards">
                {data.accounts.map((account) => (
                  <AccountCard key={account.account} account={account} />
                ))}
              </div>
            )}
          </section>
          <p class="muted small">
            {t("overview.version", {
              version: data.version,
              uptime: formatDuration(t, data.uptimeSeconds),
            })}
          </p>
        </>
      )}
    </>
  );
}

function AccountCard({ account }: { account: UiAccount }) {
  const { t, language } = useI18n();
  const title = account.login ?? account.account;
  const allowance = account.allowance;
  return (
    <article class="card" aria-label={title} data-account={account.account}>
      <h3>{title}</h3>
      <dl class="facts">
        <dt>{t("overview.plan")}</dt>
        <dd>{account.plan ?? t("common.none")}</dd>
        <dt>{t("overview.billing")}</dt>
        <dd>
          {account.billing === null
            ? t("common.none")
            : t(
                account.billing === "credits"
                  ? "overview.billing.credits"
                  : "overview.billing.requests",
              )}
        </dd>
      </dl>
      {account.exhausted !== null && (
        <p class="alert" role="alert">
          {t("overview.exhausted", {
            code: account.exhausted.code,
            time: formatTime(language, account.exhausted.until),
          })}
        </p>
      )}
      {allowance !== null && (
        <div class="quota">
          <h4>{t("overview.allowance")}</h4>
          {allowance.entitlement < 0 ? (
            <p>{t("overview.unlimited")}</p>
          ) : (
            <>
              <Meter
                kind="used"
                label={t("overview.allowance")}
                percent={100 - allowance.percentRemaining}
                valueText={t("overview.allowanceUsed", {
                  used: formatNumber(language, allowance.entitlement - allowance.remaining),
                  total: formatNumber(language, allowance.entitlement),
                })}
              />
              <p class="quota-text">
                {t("overview.allowanceUsed", {
                  used: formatNumber(language, allowance.entitlement - allowance.remaining),
                  total: formatNumber(language, allowance.entitlement),
                })}
                {allowance.resetsAt !== null && (
                  <> · {t("overview.resetsIn", { time: untilText(t, allowance.resetsAt) })}</>
                )}
                {allowance.overagePermitted && <> · {t("overview.overage")}</>}
              </p>
            </>
          )}
        </div>
      )}
      {account.windows.length === 0 ? (
        <p class="muted">{t("overview.noWindows")}</p>
      ) : (
        account.windows.map((window) => <WindowRow key={window.name} window={window} />)
      )}
    </article>
  );
}

function windowTitle(t: Translate, name: string): string {
  if (name === "session") return t("overview.window.session");
  if (name === "weekly") return t("overview.window.weekly");
  return t("overview.window.other", { name });
}

function untilText(t: Translate, iso: string): string {
  return formatDuration(t, (Date.parse(iso) - Date.now()) / 1000);
}

function WindowRow({ window }: { window: UiQuotaWindow }) {
  const { t, language } = useI18n();
  const title = windowTitle(t, window.name);
  if (window.entitlement < 0) {
    return (
      <div class="quota" data-window={window.name}>
        <h4>{title}</h4>
        <p class="quota-text">{t("overview.unlimited")}</p>
      </div>
    );
  }
  const left = t("overview.windowLeft", {
    percent: formatPercent(language, window.percentRemaining),
  });
  const reset =
    window.secondsToReset !== null
      ? t("overview.resetsIn", { time: formatDuration(t, window.secondsToReset) })
      : t("overview.resetsUnknown");
  return (
    <div class="quota" data-window={window.name}>
      <h4>{title}</h4>
      <Meter kind="left" label={title} percent={window.percentRemaining} valueText={left} />
      <p class="quota-text">
        {left} · {reset}
      </p>
    </div>
  );
}
