import { asRecord, discordError, errors, formError, type RestResult, type Route } from "./http-io.js";

type Command = Record<string, unknown>;

const namePattern = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const maxCommands: Record<number, number> = { 1: 100, 2: 15, 3: 15, 4: 1 };

/** The first problem Discord would report for a command, as [path, code, message]. */
function commandProblem(body: Record<string, unknown>): [string, string, string] | undefined {
  const type = body.type ?? 1;
  if (typeof type !== "number" || !(type in maxCommands)) {
    return ["type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}."];
  }
  const name = body.name;
  if (typeof name !== "string" || !namePattern.test(name) || (type === 1 && name !== name.toLowerCase())) {
    return ["name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"];
  }
  const description = body.description ?? "";
  if (typeof description !== "string") return ["description", "BASE_TYPE_STRING", "Must be a string."];
  if (type === 1 && (description.length < 1 || description.length > 100)) {
    return ["description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."];
  }
  if (type !== 1 && description !== "") {
    return [
      "description",
      "APPLICATION_COMMAND_INVALID_DESCRIPTION",
      "Context menu commands cannot have description",
    ];
  }
  return optionsProblem(body.options, "options");
}

function optionsProblem(value: unknown, path: string): [string, string, string] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return [path, "BASE_TYPE_ARRAY", "Must be an array."];
  if (value.length > 25) return [path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."];
  let optionalSeen = false;
  const names = new Set<string>();
  for (const [i, raw] of value.entries()) {
    const option = asRecord(raw);
    const at = `${path}.${i}`;
    const { name, description, type, required, choices, autocomplete } = option;
    if (typeof type !== "number" || type < 1 || type > 11) {
      return [`${at}.type`, "BASE_TYPE_CHOICES", "Value must be one of {1, …, 11}."];
    }
    if (typeof name !== "string" || !namePattern.test(name) || name !== name.toLowerCase()) {
      return [`${at}.name`, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"];
    }
    if (names.has(name))
      return [`${at}.name`, "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS", "Duplicate name"];
    names.add(name);
    if (typeof description !== "string" || description.length < 1 || description.length > 100) {
      return [`${at}.description`, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."];
    }
    if (required === true && optionalSeen) {
      return [
        at,
        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
        "Required options must be placed before non-required options",
      ];
    }
    if (required !== true && type > 2) optionalSeen = true;
    if (Array.isArray(choices) && choices.length > 25) {
      return [`${at}.choices`, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."];
    }
    if (autocomplete === true && Array.isArray(choices) && choices.length > 0) {
      return [
        `${at}.autocomplete`,
        "AUTOCOMPLETE_CHOICES_NOT_ALLOWED",
        "Autocomplete cannot be set with choices",
      ];
    }
    if (type <= 2) {
      const nested = optionsProblem(option.options, `${at}.options`);
      if (nested) return nested;
    }
  }
  return undefined;
}

/**
 * Application commands as Discord keeps them: bulk overwrite (PUT) keeps the id of a command whose
 * name and type are unchanged, gives new ones fresh ids and drops the rest.
 */
export function createCommandRegistry(deps: {
  applicationId: string;
  nextId: () => string;
  hasGuild: (guildId: string) => boolean;
}) {
  const scopes = new Map<string, Command[]>();
  const scopeKey = (guildId: string | undefined) => guildId ?? "global";
  const list = (guildId?: string) => scopes.get(scopeKey(guildId)) ?? [];

  function build(
    body: Record<string, unknown>,
    guildId: string | undefined,
    existing: Command | undefined,
  ): Command {
    const command: Command = {
      id: existing?.id ?? deps.nextId(),
      application_id: deps.applicationId,
      version: deps.nextId(),
      default_member_permissions: body.default_member_permissions ?? null,
      type: body.type ?? 1,
      name: body.name,
      name_localizations: body.name_localizations ?? null,
      description: body.description ?? "",
      description_localizations: body.description_localizations ?? null,
      ...(guildId === undefined ? { dm_permission: body.dm_permission ?? true } : { guild_id: guildId }),
      contexts: body.contexts ?? null,
      integration_types: body.integration_types ?? [0],
      nsfw: body.nsfw ?? false,
    };
    if (Array.isArray(body.options)) command.options = body.options;
    return command;
  }

  const sameCommand = (a: Record<string, unknown>) => (b: Command) =>
    b.name === a.name && (b.type ?? 1) === (a.type ?? 1);

  function overwrite(guildId: string | undefined, body: unknown): RestResult {
    if (!Array.isArray(body)) return formError("", "BASE_TYPE_ARRAY", "Must be an array.");
    const bodies = body.map(asRecord);
    for (const [i, command] of bodies.entries()) {
      const problem = commandProblem(command);
      if (problem) return formError(`${i}.${problem[0]}`, problem[1], problem[2]);
      if (bodies.slice(0, i).some(sameCommand(command))) {
        return formError(
          `${i}.name`,
          "APPLICATION_COMMANDS_DUPLICATE_NAME",
          "Application command names must be unique",
        );
      }
    }
    for (const [type, max] of Object.entries(maxCommands)) {
      if (bodies.filter((b) => String(b.type ?? 1) === type).length > max) {
        return discordError(400, 30032, "Maximum number of application commands reached");
      }
    }
    const previous = list(guildId);
    const next = bodies.map((b) => build(b, guildId, previous.find(sameCommand(b))));
    scopes.set(scopeKey(guildId), next);
    return { status: 200, body: next };
  }

  function upsert(guildId: string | undefined, raw: unknown): RestResult {
    const body = asRecord(raw);
    const problem = commandProblem(body);
    if (problem) return formError(problem[0], problem[1], problem[2]);
    const commands = [...list(guildId)];
    const index = commands.findIndex(sameCommand(body));
    const command = build(body, guildId, commands[index]);
    if (index >= 0) commands[index] = command;
    else commands.push(command);
    scopes.set(scopeKey(guildId), commands);
    return { status: index >= 0 ? 200 : 201, body: command };
  }

  /** Runs `then` when the app id is ours and the guild (if any) has the app. */
  function scoped(appId: string, guildId: string | undefined, then: () => RestResult): RestResult {
    if (appId !== deps.applicationId && appId !== "@me") return errors.missingAccess();
    if (guildId !== undefined && !deps.hasGuild(guildId)) return errors.missingAccess();
    return then();
  }

  const routes: Route[] = [];
  for (const [prefix, guildPart] of [
    ["/applications/([^/]+)/commands", false],
    ["/applications/([^/]+)/guilds/([^/]+)/commands", true],
  ] as const) {
    const all = new RegExp(`^${prefix}$`);
    const one = new RegExp(`^${prefix}/([^/]+)$`);
    const guildOf = (params: string[]) => (guildPart ? params[1] : undefined);
    const commandIdOf = (params: string[]) => params[guildPart ? 2 : 1] ?? "";
    routes.push(
      {
        method: "GET",
        pattern: all,
        handle: ({ params }) =>
          scoped(params[0] ?? "", guildOf(params), () => ({ status: 200, body: list(guildOf(params)) })),
      },
      {
        method: "PUT",
        pattern: all,
        handle: ({ params, body }) =>
          scoped(params[0] ?? "", guildOf(params), () => overwrite(guildOf(params), body)),
      },
      {
        method: "POST",
        pattern: all,
        handle: ({ params, body }) =>
          scoped(params[0] ?? "", guildOf(params), () => upsert(guildOf(params), body)),
      },
      {
        method: "GET",
        pattern: one,
        handle: ({ params }) =>
          scoped(params[0] ?? "", guildOf(params), () => {
            const command = list(guildOf(params)).find((c) => c.id === commandIdOf(params));
            return command ? { status: 200, body: command } : errors.unknownCommand();
          }),
      },
      {
        method: "DELETE",
        pattern: one,
        handle: ({ params }) =>
          scoped(params[0] ?? "", guildOf(params), () => {
            const commands = list(guildOf(params));
            const index = commands.findIndex((c) => c.id === commandIdOf(params));
            if (index < 0) return errors.unknownCommand();
            commands.splice(index, 1);
            return { status: 204 };
          }),
      },
    );
  }

  return {
    routes,
    list,
    /** The registered command an interaction names: the guild's first, then the global one. */
    find(guildId: string, name: string, type: number): Command | undefined {
      const match = (c: Command) => c.name === name && (c.type ?? 1) === type;
      return list(guildId).find(match) ?? list().find(match);
    },
  };
}
