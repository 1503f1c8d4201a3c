import { parseWeekday } from "../sales/periods/period.js";
import type { Locale } from "../sales/workspaces/locales.js";

/** Weekdays as French abbreviates them in a setting, Monday first (the setting reads them back). */
const FR_DAYS = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"] as const;
/** Weekdays in full, Monday first. */
const FR_DAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"] as const;

/** Values of settings as a French user types them, each read back by the setting's parser. */
const FR_VALUES: Record<string, string> = {
  on: "oui",
  off: "non",
  monday: "lundi",
  sunday: "dimanche",
  working: "ouvrés",
};

const frenchDay = (day: string, names: readonly string[]) => {
  const n = parseWeekday(day);
  return n === null ? day : (names[n - 1] ?? day);
};

/**
 * A setting's value as `config show` writes it in a locale: in French, `oui`/`non`, `lundi`,
 * `lun-ven`, `ouvrés`, each a value the setting accepts; names, times and numbers as they are.
 */
export function settingValue(key: string, value: string, locale: Locale): string {
  if (locale === "en") return value;
  if (key === "working_days" || (key === "digest_days" && value !== "working"))
    return value.replace(/[a-z]+/g, (day) => frenchDay(day, FR_DAYS));
  return FR_VALUES[value] ?? value;
}

/**
 * The days of a schedule (`mon-fri`, `mon,wed,fri`) as words of a sentence: English keeps the
 * setting (`on mon-fri`); French says « du lundi au vendredi », « le lundi, le mercredi et le vendredi ».
 */
export function scheduleDays(spec: string, locale: Locale): string {
  if (locale === "en") return `on ${spec}`;
  if (spec === "mon-sun") return "tous les jours";
  const parts = spec.split(",").map((part) => {
    const [from = "", to] = part.split("-");
    const name = (d: string) => frenchDay(d, FR_DAY_NAMES);
    return to ? `du ${name(from)} au ${name(to)}` : `le ${name(from)}`;
  });
  return new Intl.ListFormat("fr", { type: "conjunction" }).format(parts);
}
