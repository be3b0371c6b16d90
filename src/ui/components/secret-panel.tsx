import type { UiKeySnippets } from "../../protocols/ui-api.js";
import { useI18n } from "../i18n/i18n.js";
import { CopyButton } from "./copy-button.js";

interface SecretPanelProps {
  readonly title: string;
  readonly secret: string;
  readonly snippets: UiKeySnippets | undefined;
  readonly children?: preact.ComponentChildren;
}

/** A new key's secret, shown once, with ready-made setups for the common clients. */
export function SecretPanel({ title, secret, snippets, children }: SecretPanelProps) {
  const { t } = useI18n();
  const snippetNames = ["openai", "claudeCode", "codex"] as const;
  return (
    <section class="panel panel-secret" aria-labelledby="secret-title">
      <h2 id="secret-title">{title}</h2>
      <p class="warning">{t("keys.secretOnce")}</p>
      <div class="secret-row">
        <code class="secret" data-testid="secret">
          {secret}
        </code>
        <CopyButton text={secret} label={`${t("common.copy")}: ${t("keys.secret")}`} />
      </div>
      {snippets !== undefined && (
        <>
          <h3>{t("keys.snippets")}</h3>
          {snippetNames.map((name) => (
            <div class="snippet" key={name}>
              <div class="snippet-head">
                <h4>{t(`keys.snippet.${name}`)}</h4>
                <CopyButton
                  text={snippets[name]}
                  label={`${t("common.copy")}: ${t(`keys.snippet.${name}`)}`}
                />
              </div>
              <pre tabIndex={0}>
                <code>{snippets[name]}</code>
              </pre>
            </div>
          ))}
        </>
      )}
      {children}
    </section>
  );
}
