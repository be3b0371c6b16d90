import type { UiHealth } from "../../protocols/ui-api.js";
import { PageState } from "../components/page-state.js";
import { formatDuration, formatNumber } from "../format.js";
import { useI18n } from "../i18n/i18n.js";
import { useApiData } from "../use-api-data.js";
import { PageHeading } from "./page-heading.js";

export function HealthPage() {
  const { t, language } = useI18n();
  const { data, error, reload } = useApiData<UiHealth>("health", 15_000);
  return (
    <>
      <PageHeading>{t("health.title")}</PageHeading>
      {data === null ? (
        <PageState error={error} retry={reload} />
      ) : (
        <>
          <dl class="facts facts-wide">
            <dt>{t("health.version")}</dt>
            <dd>{data.version}</dd>
            <dt>{t("health.node")}</dt>
            <dd>{data.node}</dd>
            <dt>{t("health.uptime")}</dt>
            <dd>{formatDuration(t, data.uptimeSeconds)}</dd>
            <dt>{t("health.storage")}</dt>
            <dd>{data.storageDriver}</dd>
            <dt>{t("health.cache")}</dt>
            <dd>{data.cache}</dd>
            {data.cacheError !== null && (
              <>
                <dt>{t("health.cacheError")}</dt>
                <dd class="status-error">{data.cacheError}</dd>
              </>
            )}
            <dt>{t("health.exchanges")}</dt>
            <dd>
              {t("health.exchangesValue", {
                ok: formatNumber(language, data.tokenExchanges.ok),
                failed: formatNumber(language, data.tokenExchanges.failed),
              })}
            </dd>
            <dt>{t("health.streams")}</dt>
            <dd>{formatNumber(language, data.streamsOpen)}</dd>
          </dl>
          <section aria-labelledby="upstream-errors">
            <h2 id="upstream-errors">{t("health.upstreamErrors")}</h2>
            {data.upstreamErrors.length === 0 ? (
              <p class="muted">{t("health.noErrors")}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("health.kind")}</th>
                    <th scope="col" class="num">
                      {t("health.count")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.upstreamErrors.map((row) => (
                    <tr key={row.kind}>
                      <th scope="row">{row.kind}</th>
                      <td class="num">{formatNumber(language, row.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="identity">
            <h2 id="identity">{t("health.identity")}</h2>
            <dl class="facts facts-wide">
              <dt>{t("health.editorVersion")}</dt>
              <dd class="mono">{data.identity.editorVersion}</dd>
              <dt>{t("health.pluginVersion")}</dt>
              <dd class="mono">{data.identity.editorPluginVersion}</dd>
              <dt>{t("health.apiVersion")}</dt>
              <dd class="mono">{data.identity.githubApiVersion}</dd>
              <dt>{t("health.userAgent")}</dt>
              <dd class="mono">{data.identity.userAgent}</dd>
              <dt>{t("health.integrationId")}</dt>
              <dd class="mono">{data.identity.integrationId}</dd>
            </dl>
          </section>
        </>
      )}
    </>
  );
}
