import type { Reply } from "../../messages/reply.js";
import { tableLines } from "../../messages/table.js";

/** Discord's limits (embed and component reference), as data: the renderer truncates to them. */
export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  embedTotal: 6000,
  buttonLabel: 80,
  customId: 100,
  selectOptions: 25,
  componentsPerRow: 5,
  rows: 5,
} as const;

const EPHEMERAL = 1 << 6;
const COLORS = { normal: 0x1f6feb, error: 0xd1242f } as const;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** An attachment's description, its text alternative: at most 1,024 characters. */
export function altText(title: string): string {
  return cut(title, 1024);
}

export interface DiscordMessage {
  embeds: {
    title?: string;
    description?: string;
    color: number;
    fields?: { name: string; value: string; inline: boolean }[];
    /** A picture attached to the same message: `attachment://chart.png`. */
    image?: { url: string };
  }[];
  components: { type: 1; components: Record<string, unknown>[] }[];
  flags?: number;
  allowed_mentions: { parse: [] };
}

/** Options for the "lost" select: the reasons, each with its label. */
export interface DiscordActionOptions {
  lostReasons: { label: string; value: string }[];
  lostPlaceholder: string;
}

/**
 * A reply as a Discord message: one embed (title, fields, lines and a table in a code block) and
 * the deal buttons, within Discord's limits; `allowed_mentions` is empty so `@everyone` in a
 * customer's name pings nobody. `images`, files attached to the message, are shown in it: the first
 * as the embed's image, the others each in an embed of its own (an embed holds one image).
 */
export function renderEmbed(
  reply: Reply,
  options?: DiscordActionOptions,
  images: readonly { name: string }[] = [],
): DiscordMessage {
  const parts: string[] = [];
  if (reply.lines.length) parts.push(reply.lines.join("\n"));
  if (reply.table)
    parts.push(
      `\`\`\`\n${tableLines(reply.table.columns, reply.table.rows).join("\n").replaceAll("```", "'''")}\n\`\`\``,
    );
  const description = parts.join("\n\n");
  const embed: DiscordMessage["embeds"][number] = { color: COLORS[reply.tone ?? "normal"] };
  if (reply.title) embed.title = cut(reply.title, DISCORD_LIMITS.title);
  if (description) embed.description = cut(description, DISCORD_LIMITS.description);
  const fields = (reply.fields ?? []).slice(0, DISCORD_LIMITS.fields).map((f) => ({
    name: cut(f.label, DISCORD_LIMITS.fieldName),
    value: cut(f.value || "–", DISCORD_LIMITS.fieldValue),
    inline: true,
  }));
  if (fields.length) embed.fields = fields;
  const [first, ...others] = images.map((i) => ({ url: `attachment://${i.name}` }));
  if (first) embed.image = first;
  const pictures = others.map((image) => ({ color: embed.color, image }));

  const buttons: Record<string, unknown>[] = [];
  const selects: Record<string, unknown>[] = [];
  for (const a of reply.actions ?? []) {
    const command = `/${a.command} ${a.value}`;
    if (a.id === "deal.lost" && options) {
      selects.push({
        type: 3,
        custom_id: cut(`run-select:${a.value}`, DISCORD_LIMITS.customId),
        placeholder: options.lostPlaceholder,
        options: options.lostReasons.slice(0, DISCORD_LIMITS.selectOptions).map((r) => ({
          label: r.label,
          value: `${command} reason:${r.value}`.slice(0, 100),
        })),
      });
      continue;
    }
    buttons.push({
      type: 2,
      style: a.style === "danger" ? 4 : a.style === "primary" ? 1 : 2,
      label: cut(a.label, DISCORD_LIMITS.buttonLabel),
      // A form button opens the command's form (prefilled); any other runs its command line.
      custom_id: cut(`${a.form ? "form" : "run"}:${command}`, DISCORD_LIMITS.customId),
    });
  }
  const components: DiscordMessage["components"] = [];
  // Buttons fill rows of five, the selects take a row each, within a message's five rows.
  const buttonRows = DISCORD_LIMITS.rows - Math.min(selects.length, DISCORD_LIMITS.rows - 1);
  for (let i = 0; i < buttons.length && components.length < buttonRows; i += DISCORD_LIMITS.componentsPerRow)
    components.push({ type: 1, components: buttons.slice(i, i + DISCORD_LIMITS.componentsPerRow) });
  for (const select of selects.slice(0, DISCORD_LIMITS.rows - components.length))
    components.push({ type: 1, components: [select] });
  return {
    embeds: [embed, ...pictures],
    components,
    ...(reply.visibility === "ephemeral" || reply.tone === "error" ? { flags: EPHEMERAL } : {}),
    allowed_mentions: { parse: [] },
  };
}
