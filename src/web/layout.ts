import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Locale } from "../messages/i18n.js";
import type { Assets } from "./assets.js";

/** Markup built with `html` from `hono/html`: every interpolated string is escaped, nested markup is not. */
export type Html = HtmlEscapedString;

/**
 * `html`, for markup with no asynchronous part (all of ours): its string, typed as such. Values
 * interpolated in text or attributes are escaped (`& < > " '`).
 */
export function markup(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const out = html(strings, ...values);
  if (out instanceof Promise) throw new Error("page markup must not be asynchronous");
  return out;
}

export interface PageOptions {
  locale: Locale;
  title: string;
  body: Html;
  /** Stable asset names (`closer.css`), after the shared style sheet. */
  styles?: readonly string[];
  /** Stable asset names (`tv.js`) of scripts, loaded deferred; never inline (the CSP forbids it). */
  scripts?: readonly string[];
}

/**
 * A whole page: the document around a body, in the workspace's language, with Closer's style
 * sheet, icon and the page's scripts from `/assets/`. The dashboard's and the TV screen's bodies are
 * wrapped by it; `pageHeaders` gives the headers to send with it.
 */
export function pageDocument(assets: Assets, options: PageOptions): Html {
  const styles = ["closer.css", ...(options.styles ?? [])];
  return markup`<!doctype html>
<html lang="${options.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${options.title}</title>
<link rel="icon" href="${assets.url("icon.svg")}" type="image/svg+xml">
${styles.map((s) => markup`<link rel="stylesheet" href="${assets.url(s)}">\n`)}${(options.scripts ?? []).map(
  (s) => markup`<script src="${assets.url(s)}" defer></script>\n`,
)}</head>
<body>
${options.body}
</body>
</html>
`;
}
