import {
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { Command, Option, OptionKind } from "../../commands/command.js";
import { keyWord } from "../../commands/grammar/words.js";
import {
  COMMANDS,
  SLASH_COMMANDS,
  SLASH_DESCRIPTIONS,
  type SlashCommand,
  slashOf,
} from "../../commands/registry.js";
import type { MessageKey } from "../../messages/catalog/keys.js";
import { translate } from "../../messages/i18n.js";

/** One Discord (sub)command and the shared command it runs. */
export interface DiscordCommandSpec {
  slash: SlashCommand;
  sub?: string;
  /** The shared command's name (`deal log`). */
  command: string;
  declaration: Command<unknown>;
}

/**
 * The shared commands as Discord sees them, derived from their declarations: under each slash
 * command, a sub-command per command (`/closer config-set`), or the command itself when it is the
 * slash command's only one (`/kpi`). Text-only commands (the `/deal` form) are left out.
 */
export const DISCORD_COMMANDS: DiscordCommandSpec[] = SLASH_COMMANDS.flatMap((slash) => {
  const commands = COMMANDS.filter((c) => slashOf(c) === slash && c.discord !== false);
  return commands.map((declaration) => {
    const sub = declaration.discord
      ? declaration.discord.sub
      : declaration.name.split(" ").slice(1).join("-");
    const spec = { slash, command: declaration.name, declaration };
    return commands.length === 1 && sub === "" ? spec : { ...spec, sub };
  });
});

const TYPE: Record<OptionKind, ApplicationCommandOptionType> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
  user: ApplicationCommandOptionType.User,
};

/** A description in English, with its French localisation (Discord shows each user theirs). */
function described(key: MessageKey) {
  return { description: translate("en", key), description_localizations: { fr: translate("fr", key) } };
}

function optionJson(name: string, o: Option) {
  const words = o.choices;
  return {
    type: TYPE[o.kind],
    name,
    // Discord shows French users the French key (`étape`) and sends back the option's own name.
    ...(keyWord(name, "fr") === name ? {} : { name_localizations: { fr: keyWord(name, "fr") } }),
    ...described(o.description),
    required: o.required,
    ...(words && o.kind === "string"
      ? {
          choices: words.values.map((value) => ({
            name: words.word(value, "en"),
            name_localizations: { fr: words.word(value, "fr") },
            value,
          })),
        }
      : {}),
    ...(o.autocomplete ? { autocomplete: true } : {}),
    ...(o.kind === "integer" ? { min_value: 1 } : {}),
  };
}

/** A command's options, required first as Discord demands. */
function optionsJson(command: Command<unknown>) {
  return Object.entries(command.options)
    .sort(([, a], [, b]) => Number(b.required) - Number(a.required))
    .map(([name, o]) => optionJson(name, o));
}

/** The command set as Discord's bulk-overwrite JSON, descriptions in English and French. */
export function discordCommandJson(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return SLASH_COMMANDS.map((slash) => {
    const specs = DISCORD_COMMANDS.filter((s) => s.slash === slash);
    return {
      name: slash,
      ...described(SLASH_DESCRIPTIONS[slash]),
      dm_permission: false,
      options: specs.every((s) => s.sub)
        ? specs.map((s) => ({
            type: ApplicationCommandOptionType.Subcommand,
            name: s.sub ?? "",
            ...described(s.declaration.description),
            options: optionsJson(s.declaration),
          }))
        : specs[0]
          ? optionsJson(specs[0].declaration)
          : [],
    };
  }) as RESTPostAPIChatInputApplicationCommandsJSONBody[];
}

export function findDiscordCommand(slash: string, sub: string | null): DiscordCommandSpec | undefined {
  return DISCORD_COMMANDS.find((s) => s.slash === slash && (s.sub ?? null) === sub);
}
