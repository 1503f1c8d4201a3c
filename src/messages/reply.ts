import type { ChartSpec } from "../charts/spec.js";
import type { Locale } from "../sales/workspaces/locales.js";

/** Platform-neutral reply: plain text only; each platform's renderer escapes and lays it out. */
export interface Reply {
  visibility: "ephemeral" | "public";
  /** The language it is written in: a renderer that joins a label to its value punctuates as it does. */
  locale?: Locale;
  /** "error" replies are rendered as such and always ephemeral. */
  tone?: "normal" | "error";
  title?: string;
  lines: string[];
  fields?: Field[];
  table?: Table;
  actions?: Action[];
  /**
   * A file for the user who ran the command, sent to them privately: by DM on Slack (an upload) and
   * Discord (an attachment); the shell saves it and says where. The reply's lines say what it is.
   */
  file?: ReplyFile;
  /**
   * Pictures drawn from the reply's figures, as data (JSON, so they wait in an outbox row), drawn as
   * PNG when sent: an image in the Slack message, the Discord embed's image, a file the shell saves.
   * The text says everything without them: a chart that cannot be drawn is left out, never the message.
   */
  charts?: ChartSpec[];
}

/** At most this many pictures a reply: Slack shows them stacked, Discord one embed each. */
export const MAX_CHARTS = 4;

export interface ReplyFile {
  /** A file name without a directory: `closer-deals-2026-11.csv`. */
  name: string;
  /** Its media type: `text/csv; charset=utf-8`. */
  type: string;
  content: Buffer;
}

export interface Field {
  label: string;
  value: string;
}

export interface Table {
  columns: string[];
  rows: string[][];
}

/** A button: `command` is the shared command it runs, with `value` as its arguments. */
export interface Action {
  id: string;
  label: string;
  command: string;
  value: string;
  style?: "primary" | "danger";
  /**
   * The button opens the command's form, prefilled, instead of running it (Slack, Discord); the
   * shell, which has no forms, leaves it out: its user types the command.
   */
  form?: boolean;
  /** What the shell shows its user to type for a form button, which it otherwise leaves out. */
  typed?: string;
}

/** A choice among several (customers a search found): its id is `choice.<n>`, unique in its reply. */
export function isChoice(action: Action): boolean {
  return action.id.startsWith("choice.");
}

/** `Won: €12,000`, and in French `Gagné\u202f: 12 000 €`: a label and its value as one line of text. */
export function labelled(reply: Pick<Reply, "locale">, label: string, value: string): string {
  return `${label}${reply.locale === "fr" ? "\u202f" : ""}: ${value}`;
}

export function errorReply(message: string): Reply {
  return { visibility: "ephemeral", tone: "error", lines: [message] };
}
