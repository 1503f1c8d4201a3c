import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Interaction,
  ModalSubmitInteraction,
  StringSelectMenuInteraction,
} from "discord.js";
import { DEAL_EDIT_MODAL_PREFIX, DEAL_MODAL_ID } from "../deal-modal.js";
import type { InteractionKit } from "../interaction-kit.js";
import { onAutocomplete } from "./autocomplete.js";
import { onChatInput } from "./chat-input.js";
import { onComponent } from "./component.js";
import { onFormButton } from "./form-button.js";
import { onModalSubmit } from "./modal-submit.js";

/** How one kind of interaction is handled; a command it runs through the kit is claimed first, so a redelivery changes nothing. */
export interface InteractionHandler<I extends Interaction = Interaction> {
  kind: string;
  matches(interaction: Interaction): interaction is I;
  handle(kit: InteractionKit, interaction: I): Promise<void>;
}

const handler = <I extends Interaction>(h: InteractionHandler<I>) => h as unknown as InteractionHandler;

/** The interactions Closer answers, one file each; any other is ignored. */
export const HANDLERS: InteractionHandler[] = [
  handler({
    kind: "autocomplete",
    matches: (i): i is AutocompleteInteraction => i.isAutocomplete(),
    handle: onAutocomplete,
  }),
  handler({
    kind: "chat input",
    matches: (i): i is ChatInputCommandInteraction => i.isChatInputCommand(),
    handle: onChatInput,
  }),
  handler({
    kind: "button",
    matches: (i): i is ButtonInteraction => i.isButton() && i.customId.startsWith("run:"),
    handle: onComponent,
  }),
  handler({
    kind: "form button",
    matches: (i): i is ButtonInteraction => i.isButton() && i.customId.startsWith("form:"),
    handle: onFormButton,
  }),
  handler({
    kind: "select",
    matches: (i): i is StringSelectMenuInteraction =>
      i.isStringSelectMenu() && i.customId.startsWith("run-select:"),
    handle: onComponent,
  }),
  handler({
    kind: "modal submit",
    matches: (i): i is ModalSubmitInteraction =>
      i.isModalSubmit() && (i.customId === DEAL_MODAL_ID || i.customId.startsWith(DEAL_EDIT_MODAL_PREFIX)),
    handle: onModalSubmit,
  }),
];
