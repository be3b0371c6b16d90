import { useCallback, useState } from "preact/hooks";
import { API_BASE } from "../api.js";
import type { UiSpend, UiSpendGrouping } from "../../protocols/ui-api.js";
import { PageState } from "../components/page-state.js";
import { SpendChart } from "../components/spend-chart.js";
import { formatCredits, formatNumber } from "../format.js";
import { useI18n } from "../i18n/i18n.js";
import { useApiData } from "../use-api-data.js";
import { PageHeading } from "./page-heading.js";

const DAYS = 30;

export function SpendPage() {
  const { t, language } = useI18n();
  const [by, setBy] = useState<UiSpendGrouping>("key");
  const query = `days=${DAYS}&by=${by}`;
  const { data, error, reload } = useApiData<UiSpend>(`spend?${query}`);
  const format = useCallback((credits: number) => formatCredits(language, credits), [language]);
  const byLabel = t(by === "key" ? "spend.byKey" : "spend.byModel");
  const totalNano = data?.totals.reduce((sum, row) => sum + row.nanoCredits, 0) ?? 0;
  return (
    <>
      <PageHeading>{t("spend.title")}</PageHeading>
      <p class="muted">{t("spend.intro")}</p>
      <div class="toolbar">
        <div class="segmented" role="group" aria-label={t("spend.by")}>
          {(["key", "model"] as const).map((grouping) => (
            <button
              key={grouping}
              type="button"
              aria-pressed={by === grouping}
              onClick={() => setBy(grouping)}
            >
              {t(grouping === "key" ? "spend.byKey" : "spend.byModel")}
            </button>
          ))}
        </div>
        <a
          class="button"
          href={`${API_BASE}spend.csv?${query}`}
          download={`cogpt-spend-by-${by}.csv`}
        >
          {t("spend.csv")}
        </a>
      </div>
      {data === null || data.by !== by ? (
        <PageState error={error} retry={reload} />
      ) : (
        <>
          {data.series.length === 0 ? (
            <p class="muted">{t("spend.empty")}</p>
          ) : (
            <SpendChart
              spend={data}
              formatCredits={format}
              label={t("spend.chart", { by: byLabel, total: format(totalNano / 1e9) })}
            />
          )}
          <div class="table-wrap" tabIndex={0} aria-labelledby="spend-table">
            <table>
              <caption id="spend-table">{t("spend.table")}</caption>
              <thead>
                <tr>
                  <th scope="col">{byLabel}</th>
                  <th scope="col" class="num">
                    {t("spend.requests")}
                  </th>
                  <th scope="col" class="num">
                    {t("spend.errors")}
                  </th>
                  <th scope="col" class="num">
                    {t("spend.input")}
                  </th>
                  <th scope="col" class="num">
                    {t("spend.cached")}
                  </th>
                  <th scope="col" class="num">
                    {t("spend.cacheWrites")}
                  </th>
                  <th scope="col" class="num">
                    {t("spend.output")}
                  </th>
                  <th scope="col" class="num">
                    {t("spend.premium")}
                  </th>
                  <th scope="col" class="num">
                    {t("spend.credits")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.totals.map((row) => (
                  <tr key={row.name} data-name={row.name}>
                    <th scope="row">{row.name}</th>
                    <td class="num">{formatNumber(language, row.requests)}</td>
                    <td class="num">{formatNumber(language, row.errors)}</td>
                    <td class="num">{formatNumber(language, row.inputTokens)}</td>
                    <td class="num">{formatNumber(language, row.cacheReadTokens)}</td>
                    <td class="num">{formatNumber(language, row.cacheWriteTokens)}</td>
                    <td class="num">{formatNumber(language, row.outputTokens)}</td>
                    <td class="num">{formatNumber(language, row.premiumRequests)}</td>
                    <td class="num" title={row.credits}>
                      {formatCredits(language, row.credits)}
                    </td>
                  </tr>
                ))}
              </tbody>
              {data.totals.length > 1 && (
                <tfoot>
                  <tr>
                    <th scope="row">{t("spend.total")}</th>
                    <td class="num">
                      {formatNumber(
                        language,
                        data.totals.reduce((sum, row) => sum + row.requests, 0),
                      )}
                    </td>
                    <td class="num">
                      {formatNumber(
                        language,
                        data.totals.reduce((sum, row) => sum + row.errors, 0),
                      )}
                    </td>
                    <td colSpan={5} />
                    <td class="num">{format(totalNano / 1e9)}</td>
                  </tr>
                </tfoot>
              )}
            </table>
          </div>
        </>
      )}
    </>
  );
}
