import type { UiModelList } from "../../protocols/ui-api.js";
import { PageState } from "../components/page-state.js";
import { formatCredits, formatNumber, pricePerMillion } from "../format.js";
import { useI18n, type MessageKey } from "../i18n/i18n.js";
import { useApiData } from "../use-api-data.js";
import { PageHeading } from "./page-heading.js";

const COPILOT_SETTINGS = "https://github.com/settings/copilot/features";

export function ModelsPage() {
  const { t, language } = useI18n();
  const { data, error, reload } = useApiData<UiModelList>("models");
  const toEnable = data?.models.filter((model) => model.policy === "unconfigured").length ?? 0;
  const number = (value: number | null): string =>
    value === null ? t("common.none") : formatNumber(language, value);
  const price = (value: number | null, per: number): string =>
    value === null ? t("common.none") : formatCredits(language, pricePerMillion(value, per));
  return (
    <>
      <PageHeading>{t("models.title")}</PageHeading>
      <p class="muted">{t("models.intro")}</p>
      {data === null ? (
        <PageState error={error} retry={reload} />
      ) : data.models.length === 0 ? (
        <p class="muted">{t("models.empty")}</p>
      ) : (
        <>
          {toEnable > 0 && (
            <p class="notice">
              {t("models.mustEnable", { n: toEnable })}{" "}
              <a href={COPILOT_SETTINGS} target="_blank" rel="noreferrer">
                {t("models.settingsLink")}
              </a>
            </p>
          )}
          <div class="table-wrap" tabIndex={0} aria-labelledby="page-title">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("models.model")}</th>
                  <th scope="col">{t("models.vendor")}</th>
                  <th scope="col">{t("models.endpoints")}</th>
                  <th scope="col" class="num">
                    {t("models.context")}
                  </th>
                  <th scope="col" class="num">
                    {t("models.maxOutput")}
                  </th>
                  <th scope="col" class="num">
                    {t("models.multiplier")}
                  </th>
                  <th scope="col" class="num">
                    {t("models.prices")}
                  </th>
                  <th scope="col">{t("models.policy")}</th>
                </tr>
              </thead>
              <tbody>
                {data.models.map((model) => (
                  <tr key={model.id} data-model={model.id}>
                    <th scope="row">
                      <span class="mono">{model.id}</span>
                      {model.name !== null && model.name !== model.id && (
                        <span class="muted small block">{model.name}</span>
                      )}
                    </th>
                    <td>{model.vendor ?? t("common.none")}</td>
                    <td>
                      {model.endpoints.map((endpoint) => (
                        <span class="tag mono" key={endpoint}>
                          {endpoint}
                        </span>
                      ))}
                    </td>
                    <td class="num">{number(model.contextWindow)}</td>
                    <td class="num">{number(model.maxOutputTokens)}</td>
                    <td class="num">
                      {model.multiplier === null ? t("common.none") : `×${model.multiplier}`}
                    </td>
                    <td class="num">
                      {model.prices === null
                        ? t("common.none")
                        : [
                            model.prices.input,
                            model.prices.cacheRead,
                            model.prices.cacheWrite,
                            model.prices.output,
                          ]
                            .map((value) => price(value, model.prices?.per ?? 1))
                            .join(" / ")}
                    </td>
                    <td>
                      {model.policy === null ? (
                        t("common.none")
                      ) : model.policy === "unconfigured" ? (
                        <a
                          href={COPILOT_SETTINGS}
                          target="_blank"
                          rel="noreferrer"
                          class="policy-unconfigured"
                        >
                          {t("models.policy.unconfigured")}
                        </a>
                      ) : (
                        <span class={`policy-${model.policy}`}>
                          {t(`models.policy.${model.policy}` as MessageKey)}
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
