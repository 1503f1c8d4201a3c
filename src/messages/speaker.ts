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

export function speakerFor(ws: Workspace): Speaker {
  const locale = localeOf(ws);
  return {
    locale,
    t: translator(locale),
    fmt: createFormatter({ locale, currency: ws.currency, timezone: ws.timezone }),
  };
}
