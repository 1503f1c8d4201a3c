import { type Action, labelled, type Reply } from "../../messages/reply.js";
import { tableLines } from "../../messages/table.js";

/** Slack's limits (Block Kit reference), as data: the renderer truncates to them. */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  fieldText: 2000,
  fields: 10,
  buttonText: 75,
  actionValue: 2000,
  actionsElements: 25,
  fallbackText: 3000,
} as const;

/** Escapes user-visible text for Slack: `&`, `<` and `>`, so `<!channel>` or `<@U1>` ping nobody. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export type Block = { type: string; [key: string]: unknown };

/** Select options for the "lost" button: the reasons, each a full command. */
export interface ActionRenderOptions {
  lostReasons: { label: string; value: string }[];
  lostPlaceholder: string;
}

function renderActions(actions: Action[], options: ActionRenderOptions | undefined): Block {
  const elements = actions.slice(0, SLACK_LIMITS.actionsElements).map((a) => {
    const command = `/${a.command} ${a.value}`;
    if (a.id === "deal.lost" && options) {
      return {
        type: "static_select",
        action_id: a.id,
        placeholder: { type: "plain_text", text: cut(options.lostPlaceholder, SLACK_LIMITS.buttonText) },
        options: options.lostReasons.map((r) => ({
          text: { type: "plain_text", text: cut(r.label, SLACK_LIMITS.buttonText) },
          value: cut(`${command} reason:${r.value}`, SLACK_LIMITS.actionValue),
        })),
      };
    }
    return {
      type: "button",
      action_id: a.id,
      text: { type: "plain_text", text: cut(a.label, SLACK_LIMITS.buttonText) },
      value: cut(command, SLACK_LIMITS.actionValue),
      ...(a.style ? { style: a.style } : {}),
    };
  });
  return { type: "actions", elements };
}

/**
 * A reply as Block Kit with its plain-text fallback: a header, the fields, the lines, a table in a
 * code block, then the buttons. Every piece is escaped and cut to Slack's limits.
 */
export function renderBlocks(reply: Reply, options?: ActionRenderOptions): { text: string; blocks: Block[] } {
  const blocks: Block[] = [];
  const prefix = reply.tone === "error" ? "⚠️ " : "";
  if (reply.title) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: cut(`${prefix}*${escapeSlack(reply.title)}*`, SLACK_LIMITS.sectionText) },
    });
  }
  const fields = reply.fields ?? [];
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.fields) {
    blocks.push({
      type: "section",
      fields: fields.slice(i, i + SLACK_LIMITS.fields).map((f) => ({
        type: "mrkdwn",
        text: cut(`*${escapeSlack(f.label)}*\n${escapeSlack(f.value)}`, SLACK_LIMITS.fieldText),
      })),
    });
  }
  if (reply.lines.length) {
    const text = (reply.title ? "" : prefix) + reply.lines.map(escapeSlack).join("\n");
    blocks.push({ type: "section", text: { type: "mrkdwn", text: cut(text, SLACK_LIMITS.sectionText) } });
  }
  if (reply.table) {
    const code = escapeSlack(tableLines(reply.table.columns, reply.table.rows).join("\n"));
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: `\`\`\`${cut(code, SLACK_LIMITS.sectionText - 6)}\`\`\`` },
    });
  }
  if (reply.actions?.length) blocks.push(renderActions(reply.actions, options));
  const fallback = [reply.title, ...fields.map((f) => labelled(reply, f.label, f.value)), ...reply.lines]
    .filter((s): s is string => Boolean(s))
    .map(escapeSlack)
    .join("\n");
  return {
    text: cut(prefix + fallback, SLACK_LIMITS.fallbackText),
    blocks: blocks.slice(0, SLACK_LIMITS.blocks),
  };
}
