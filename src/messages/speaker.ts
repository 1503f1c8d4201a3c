import type { Workspace } from "../sales/deps.js";
import { localeOf } from "../sales/workspaces/workspace-service.js";
import { createFormatter, type Formatter } from "./format.js";
import { type Locale, type Translate, translator } from "./i18n.js";

/** How a workspace is spoken to: its language and its number, money and date formats. */
export interface Speaker {
  locale: Locale;
  t: Translate;
  fmt: Formatter;
}

// Building Intl formatters is the costly part of a speaker; they are immutable, so each
// locale, currency and zone gets its set once (a digest run covers thousands of workspaces).
const formatters = new Map<string, Formatter>();

export function speakerFor(ws: Workspace): Speaker {
  const locale = localeOf(ws);
  const key = `${locale}|${ws.currency}|${ws.timezone}`;
  let fmt = formatters.get(key);
  if (!fmt) {
    fmt = createFormatter({ locale, currency: ws.currency, timezone: ws.timezone });
    formatters.set(key, fmt);
  }
  return { locale, t: translator(locale), fmt };
}
