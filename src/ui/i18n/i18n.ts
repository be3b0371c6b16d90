import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { en, type MessageKey } from "./en.js";
import { zh } from "./zh.js";

export type Language = "en" | "zh";
export type { MessageKey };
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export const LANGUAGES: readonly { readonly code: Language; readonly label: string }[] = [
  { code: "en", label: "English" },
  { code: "zh", label: "简体中文" },
];

const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { en, zh };
const STORAGE_KEY = "cogpt.language";

/** The language remembered in localStorage, else the browser's first preferred one we have. */
export function chooseLanguage(stored: string | null, preferred: readonly string[]): Language {
  if (stored === "en" || stored === "zh") return stored;
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith("zh")) return "zh";
    if (lower.startsWith("en")) return "en";
  }
  return "en";
}

export function readLanguage(): Language {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage may be disabled; the browser's language still applies.
  }
  return chooseLanguage(stored, navigator.languages);
}

export function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered: the choice holds until the page is closed.
  }
}

export function createTranslate(language: Language): Translate {
  const dictionary = DICTIONARIES[language];
  return (key, values) =>
    dictionary[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      values !== undefined && name in values ? String(values[name]) : whole,
    );
}

export interface I18n {
  readonly language: Language;
  readonly t: Translate;
  readonly setLanguage: (language: Language) => void;
}

export const I18nContext = createContext<I18n>({
  language: "en",
  t: createTranslate("en"),
  setLanguage: () => undefined,
});

export function useI18n(): I18n {
  return useContext(I18nContext);
}
