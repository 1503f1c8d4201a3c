import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Interaction,
  ModalSubmitInteraction,
  StringSelectMenuInteraction,
} from "discord.js";
import { DEAL_MODAL_ID } from "../deal-modal.js";
import type { InteractionKit } from "../interaction-kit.js";
import { onAutocomplete } from "./autocomplete.js";
import { onChatInput } from "./chat-input.js";
import { onComponent } from "./component.js";
import { onModalSubmit } from "./modal-submit.js";

/** How one kind of interaction is handled; `once` kinds are claimed first, so a redelivery changes nothing. */
export interface InteractionHandler<I extends Interaction = Interaction> {
  kind: string;
  once: boolean;
  matches(interaction: Interaction): interaction is I;
  handle(kit: InteractionKit, interaction: I): Promise<void>;
}

const handler = <I extends Interaction>(h: InteractionHandler<I>) => h as unknown as InteractionHandler;

/** The interactions Closer answers, one file each; any other is ignored. */
export const HANDLERS: InteractionHandler[] = [
  handler({
    kind: "autocomplete",
    once: false,
    matches: (i): i is AutocompleteInteraction => i.isAutocomplete(),
    handle: onAutocomplete,
  }),
  handler({
    kind: "chat input",
    once: true,
    matches: (i): i is ChatInputCommandInteraction => i.isChatInputCommand(),
    handle: onChatInput,
  }),
  handler({
    kind: "button",
    once: true,
    matches: (i): i is ButtonInteraction => i.isButton() && i.customId.startsWith("run:"),
    handle: onComponent,
  }),
  handler({
    kind: "select",
    once: true,
    matches: (i): i is StringSelectMenuInteraction =>
      i.isStringSelectMenu() && i.customId.startsWith("run-select:"),
    handle: onComponent,
  }),
  handler({
    kind: "modal submit",
    once: true,
    matches: (i): i is ModalSubmitInteraction => i.isModalSubmit() && i.customId === DEAL_MODAL_ID,
    handle: onModalSubmit,
  }),
];
