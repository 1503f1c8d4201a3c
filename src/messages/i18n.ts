import type { Locale } from "../sales/workspaces/locales.js";
import { en } from "./catalog/en.js";
import { fr } from "./catalog/fr.js";
import type { Catalog, MessageKey } from "./catalog/keys.js";

export { LOCALES, type Locale } from "../sales/workspaces/locales.js";
export type { Catalog, MessageKey } from "./catalog/keys.js";

const catalogs: Record<Locale, Catalog> = { en, fr };

export type TranslateParams = Record<string, string | number>;

/** The message `key` in `locale`, with `{name}` placeholders filled from `params`. */
export function translate(locale: Locale, key: MessageKey, params: TranslateParams = {}): string {
  const template = catalogs[locale][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export type Translate = (key: MessageKey, params?: TranslateParams) => string;

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params);
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}
