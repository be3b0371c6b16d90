import { useEffect, useMemo, useState } from "preact/hooks";
import { API_BASE } from "../api.js";
import type { UiKeyList, UiRequest, UiRequestList } from "../../protocols/ui-api.js";
import { PageState } from "../components/page-state.js";
import { formatClock, formatCredits, formatNumber } from "../format.js";
import { useI18n } from "../i18n/i18n.js";
import { useSession } from "../session.js";
import { useApiData } from "../use-api-data.js";
import { PageHeading } from "./page-heading.js";

const LIMIT = 100;
const MAX_ROWS = 300;

type StatusFilter = "" | "ok" | "error";

interface Filters {
  readonly key: string;
  readonly model: string;
  readonly status: StatusFilter;
}

/** The same test the server applies to `GET /ui/api/requests` (docs/ui-api.md). */
export function matchesFilters(entry: UiRequest, filters: Filters): boolean {
  if (filters.key !== "" && entry.key !== filters.key) return false;
  if (
    filters.model !== "" &&
    entry.modelAsked !== filters.model &&
    entry.modelUsed !== filters.model
  ) {
    return false;
  }
  if (filters.status === "ok" && entry.status >= 400) return false;
  if (filters.status === "error" && entry.status < 400) return false;
  return true;
}

function queryOf(filters: Filters): string {
  const params = new URLSearchParams({ limit: String(LIMIT) });
  if (filters.key !== "") params.set("key", filters.key);
  if (filters.model !== "") params.set("model", filters.model);
  if (filters.status !== "") params.set("status", filters.status);
  return params.toString();
}

export function RequestsPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const [filters, setFilters] = useState<Filters>({ key: "", model: "", status: "" });
  const [modelText, setModelText] = useState("");
  const initial = useApiData<UiRequestList>(`requests?${queryOf(filters)}`);
  const keys = useApiData<UiKeyList>("keys");
  const [live, setLive] = useState<UiRequest[]>([]);
  const [connection, setConnection] = useState<"connecting" | "live" | "reconnecting">(
    "connecting",
  );

  // New entries since the page opened, newest first; the initial list covers older ones.
  useEffect(() => {
    const source = new EventSource(`${API_BASE}requests/stream`);
    source.onopen = () => setConnection("live");
    source.onerror = () => setConnection("reconnecting");
    source.addEventListener("request", (event: MessageEvent<string>) => {
      const entry = JSON.parse(event.data) as UiRequest;
      setLive((rows) => [entry, ...rows].slice(0, MAX_ROWS));
    });
    return () => source.close();
  }, []);
  useEffect(() => setLive([]), [filters]);

  const rows = useMemo(() => {
    const seen = new Set<string>();
    const merged: UiRequest[] = [];
    for (const entry of [
      ...live.filter((row) => matchesFilters(row, filters)),
      ...(initial.data?.requests ?? []),
    ]) {
      if (seen.has(entry.requestId)) continue;
      seen.add(entry.requestId);
      merged.push(entry);
    }
    return merged.slice(0, MAX_ROWS);
  }, [live, initial.data, filters]);

  const keyNames = keys.data?.keys.map((key) => key.name) ?? [];
  return (
    <>
      <PageHeading>{t("requests.title")}</PageHeading>
      <p class="muted">{t("requests.intro")}</p>
      <form
        class="filters"
        aria-label={t("requests.filters")}
        onSubmit={(event) => {
          event.preventDefault();
          setFilters((current) => ({ ...current, model: modelText.trim() }));
        }}
      >
        {session?.role === "admin" && (
          <label>
            {t("requests.key")}
            <select
              value={filters.key}
              onChange={(event) => setFilters({ ...filters, key: event.currentTarget.value })}
            >
              <option value="">{t("requests.any")}</option>
              {keyNames.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t("requests.model")}
          <input
            type="search"
            value={modelText}
            onInput={(event) => setModelText(event.currentTarget.value)}
            onBlur={() => setFilters((current) => ({ ...current, model: modelText.trim() }))}
          />
        </label>
        <label>
          {t("requests.status")}
          <select
            value={filters.status}
            onChange={(event) =>
              setFilters({ ...filters, status: event.currentTarget.value as StatusFilter })
            }
          >
            <option value="">{t("requests.any")}</option>
            <option value="ok">{t("requests.ok")}</option>
            <option value="error">{t("requests.error")}</option>
          </select>
        </label>
        <span class={connection === "live" ? "live live-on" : "live"} data-testid="live">
          {t(`requests.${connection}`)}
        </span>
      </form>
      {initial.data === null ? (
        <PageState error={initial.error} retry={initial.reload} />
      ) : rows.length === 0 ? (
        <p class="muted">{t("requests.empty")}</p>
      ) : (
        <RequestTable rows={rows} />
      )}
    </>
  );
}

function RequestTable({ rows }: { rows: readonly UiRequest[] }) {
  const { t, language } = useI18n();
  return (
    <div class="table-wrap" tabIndex={0} aria-labelledby="page-title">
      <table class="requests">
        <thead>
          <tr>
            <th scope="col">{t("requests.time")}</th>
            <th scope="col">{t("requests.key")}</th>
            <th scope="col">{t("requests.models")}</th>
            <th scope="col">{t("requests.endpoint")}</th>
            <th scope="col" class="num">
              {t("requests.status")}
            </th>
            <th scope="col" class="num">
              {t("requests.latency")}
            </th>
            <th scope="col" class="num">
              {t("requests.tokens")}
            </th>
            <th scope="col" class="num">
              {t("requests.credits")}
            </th>
            <th scope="col">{t("requests.supportId")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.requestId} data-request-id={row.requestId}>
              <td>
                <time dateTime={row.time}>{formatClock(language, row.time)}</time>
              </td>
              <td>{row.key}</td>
              <td>
                {row.modelAsked ?? t("common.none")}
                {row.modelUsed !== null && row.modelUsed !== row.modelAsked && (
                  <> → {row.modelUsed}</>
                )}
                {row.fallbackFrom !== null && (
                  <span class="tag">{t("requests.fallback", { model: row.fallbackFrom })}</span>
                )}
              </td>
              <td>{row.endpoint ?? row.dialect}</td>
              <td class={row.status >= 400 ? "num status-error" : "num"}>
                {row.status}
                {!row.complete && <span class="tag">{t("requests.incomplete")}</span>}
              </td>
              <td class="num">{formatNumber(language, row.latencyMs)} ms</td>
              <td class="num">
                {formatNumber(
                  language,
                  row.inputTokens + row.cacheReadTokens + row.cacheWriteTokens,
                )}{" "}
                / {formatNumber(language, row.outputTokens)}
              </td>
              <td class="num" title={row.credits}>
                {formatCredits(language, row.credits)}
                {row.creditsSource === "estimate" && (
                  <span class="tag">{t("requests.estimate")}</span>
                )}
              </td>
              <td class="mono">{row.supportId ?? t("common.none")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
