import { useState } from "preact/hooks";
import { useI18n } from "../i18n/i18n.js";

interface CopyButtonProps {
  readonly text: string;
  /** Names what is copied, e.g. "Copy secret". */
  readonly label: string;
}

export function CopyButton({ text, label }: CopyButtonProps) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = (): void => {
    navigator.clipboard.writeText(text).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      },
      () => setCopied(false),
    );
  };
  return (
    <button type="button" class="button-small" onClick={copy} aria-label={label}>
      <span aria-live="polite">{copied ? t("common.copied") : t("common.copy")}</span>
    </button>
  );
}
