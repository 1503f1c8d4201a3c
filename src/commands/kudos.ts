import { KUDOS_MAX_TEXT } from "../sales/kudos/kudos-service.js";
import { defineCommand } from "./command.js";
import { leftover } from "./grammar/tokens.js";
import { memberOption, textOption } from "./options.js";

/** `/kudos @member <text…>`: thanks a colleague in the wins channel. */
export const kudos = defineCommand({
  name: "kudos",
  description: "command.kudos",
  visibility: "ephemeral",
  options: {
    member: memberOption({ required: true, description: "option.kudos_member" }),
    text: textOption(KUDOS_MAX_TEXT, {
      required: true,
      description: "option.kudos_text",
      placeholder: "usage.text",
      missing: "input.kudos_text_required",
    }),
  },
  fromText(tokens) {
    // The first mention is whom the kudos thanks; every other word, in order, is what for.
    const mention = tokens.find((t) => t.kind === "mention");
    return {
      member: mention?.kind === "mention" ? mention.ref : undefined,
      text: leftover(tokens.filter((t) => t !== mention)),
    };
  },
  async run(ctx, input) {
    // Only a member Closer knows can be thanked: a kudos counts in their awards.
    const to = await ctx.findMember(input.member);
    const given = await ctx.sales.kudos.giveKudos(ctx.workspace, ctx.actor, to, input.text);
    return {
      title: ctx.t("kudos.sent", { name: to.displayName }),
      lines: [
        ctx.t("kudos.text", { text: given.text }),
        ctx.workspace.winsChannel ? ctx.t("kudos.posted") : ctx.t("kudos.no_channel"),
        ctx.t("kudos.left", { count: given.left }),
      ],
    };
  },
});
