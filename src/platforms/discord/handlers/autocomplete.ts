import type { AutocompleteInteraction } from "discord.js";
import { suggestPeriods } from "../../../commands/period-suggestions.js";
import { findDiscordCommand } from "../command-definitions.js";
import type { InteractionKit } from "../interaction-kit.js";

/** Which deals a deal option suggests: open ones to move, any to edit or show, deleted ones to restore. */
const DEALS_FOR: Record<string, "live" | "deleted"> = {
  edit: "live",
  show: "live",
  delete: "live",
  restore: "deleted",
};

/** Suggestions as the user types: deals for a deal option, periods for a period, customers for the others. */
export async function onAutocomplete(kit: InteractionKit, interaction: AutocompleteInteraction) {
  const focused = interaction.options.getFocused(true);
  const ctx = await kit.contextFor(interaction);
  const spec = findDiscordCommand(interaction.commandName, interaction.options.getSubcommand(false));
  const option = spec?.declaration.options[focused.name];
  if (option?.autocomplete === "period") {
    await interaction.respond(suggestPeriods(ctx, option, String(focused.value)));
    return;
  }
  if (focused.name === "deal") {
    const which = DEALS_FOR[interaction.options.getSubcommand(false) ?? ""] ?? "open";
    const deals = await kit.sales.deals.searchOpenDeals(ctx.workspace, String(focused.value), 25, which);
    await interaction.respond(
      deals.map((d) => ({
        name: `#${d.number} ${d.customer.name} · ${ctx.fmt.money(d.amount)}`.slice(0, 100),
        value: String(d.number),
      })),
    );
    return;
  }
  const customers = await kit.sales.customers.searchCustomers(ctx.workspace, String(focused.value));
  await interaction.respond(
    customers.map((c) => ({ name: c.name.slice(0, 100), value: c.name.slice(0, 100) })),
  );
}
