import { errors, formError, type RestResult } from "./http-io.js";

/** Discord's documented message limits (embed limits as in discord.js builders' Assertions.ts). */
export const messageLimits = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedTotal: 6000,
  actionRows: 5,
  rowComponents: 5,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  nonce: 25,
  autocompleteChoices: 25,
  choiceName: 100,
  modalTitle: 45,
  attachmentDescription: 1024,
  embedUrl: 2048,
} as const;

const isComponentsV2 = (flags: unknown) => typeof flags === "number" && (flags & (1 << 15)) !== 0;
const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
const length = (value: unknown) => (typeof value === "string" ? [...value].length : 0);

function tooLong(path: string, max: number): RestResult {
  return formError(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
}

function checkEmbeds(embeds: unknown[]): RestResult | undefined {
  if (embeds.length > messageLimits.embeds) return tooLong("embeds", messageLimits.embeds);
  let total = 0;
  for (const [i, value] of embeds.entries()) {
    const embed = record(value);
    const limits: [string, unknown, number][] = [
      ["title", embed.title, messageLimits.embedTitle],
      ["description", embed.description, messageLimits.embedDescription],
      ["footer.text", record(embed.footer).text, messageLimits.footerText],
      ["author.name", record(embed.author).name, messageLimits.authorName],
    ];
    for (const [path, text, max] of limits) {
      if (length(text) > max) return tooLong(`embeds.${i}.${path}`, max);
      total += length(text);
    }
    for (const key of ["image", "thumbnail"] as const) {
      const url = record(embed[key]).url;
      if (embed[key] === undefined) continue;
      if (typeof url !== "string" || url.length === 0)
        return formError(`embeds.${i}.${key}.url`, "BASE_TYPE_REQUIRED", "This field is required");
      if (length(url) > messageLimits.embedUrl)
        return tooLong(`embeds.${i}.${key}.url`, messageLimits.embedUrl);
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
      if (scheme !== "http" && scheme !== "https" && scheme !== "attachment")
        return formError(
          `embeds.${i}.${key}.url`,
          "URL_TYPE_INVALID_SCHEME",
          `Scheme "${scheme ?? ""}" is not supported. Scheme must be one of ('http', 'https', 'attachment').`,
        );
    }
    const fields = Array.isArray(embed.fields) ? embed.fields : [];
    if (fields.length > messageLimits.embedFields)
      return tooLong(`embeds.${i}.fields`, messageLimits.embedFields);
    for (const [j, fieldValue] of fields.entries()) {
      const field = record(fieldValue);
      for (const [key, max] of [
        ["name", messageLimits.fieldName],
        ["value", messageLimits.fieldValue],
      ] as const) {
        if (length(field[key]) === 0) {
          return formError(`embeds.${i}.fields.${j}.${key}`, "BASE_TYPE_REQUIRED", "This field is required");
        }
        if (length(field[key]) > max) return tooLong(`embeds.${i}.fields.${j}.${key}`, max);
        total += length(field[key]);
      }
    }
  }
  if (total > messageLimits.embedTotal) {
    return formError("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
  }
  return undefined;
}

function checkComponents(rows: unknown[]): RestResult | undefined {
  if (rows.length > messageLimits.actionRows) return tooLong("components", messageLimits.actionRows);
  for (const [i, rowValue] of rows.entries()) {
    const row = record(rowValue);
    const children = Array.isArray(row.components) ? row.components : [];
    if (row.type !== 1)
      return formError(`components.${i}.type`, "COMPONENT_TYPE_INVALID", "Expected an action row");
    if (children.length > messageLimits.rowComponents) {
      return tooLong(`components.${i}.components`, messageLimits.rowComponents);
    }
    for (const [j, childValue] of children.entries()) {
      const child = record(childValue);
      const path = `components.${i}.components.${j}`;
      if (length(child.custom_id) > messageLimits.customId)
        return tooLong(`${path}.custom_id`, messageLimits.customId);
      if (child.type === 2 && length(child.label) > messageLimits.buttonLabel) {
        return tooLong(`${path}.label`, messageLimits.buttonLabel);
      }
      if (child.type === 2 && child.style !== 5 && child.style !== 6 && length(child.custom_id) === 0) {
        return formError(`${path}.custom_id`, "BASE_TYPE_REQUIRED", "This field is required");
      }
      const options = Array.isArray(child.options) ? child.options : [];
      if (options.length > messageLimits.selectOptions)
        return tooLong(`${path}.options`, messageLimits.selectOptions);
    }
  }
  return undefined;
}

/** The first rule a create or edit message body breaks, as Discord's 400 answer. */
export function checkMessageBody(
  body: Record<string, unknown>,
  options: { create: boolean; hasFiles: boolean },
): RestResult | undefined {
  const { content, embeds, components, nonce, flags } = body;
  if (content !== undefined && content !== null && typeof content !== "string") {
    return formError("content", "BASE_TYPE_STRING", "Must be a string.");
  }
  if (length(content) > messageLimits.content) return tooLong("content", messageLimits.content);
  if (nonce !== undefined && !(typeof nonce === "string" || Number.isInteger(nonce))) {
    return formError("nonce", "BASE_TYPE_STRING", "Must be a string or an integer.");
  }
  if (typeof nonce === "string" && length(nonce) > messageLimits.nonce)
    return tooLong("nonce", messageLimits.nonce);
  if (isComponentsV2(flags) && (length(content) > 0 || (Array.isArray(embeds) && embeds.length > 0))) {
    return formError(
      "content",
      "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
      "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2",
    );
  }
  const attachments = Array.isArray(body.attachments) ? body.attachments : [];
  for (const [i, attachment] of attachments.entries()) {
    if (length(record(attachment).description) > messageLimits.attachmentDescription)
      return tooLong(`attachments.${i}.description`, messageLimits.attachmentDescription);
  }
  const embedError = Array.isArray(embeds) ? checkEmbeds(embeds) : undefined;
  if (embedError) return embedError;
  const componentError =
    Array.isArray(components) && !isComponentsV2(flags) ? checkComponents(components) : undefined;
  if (componentError) return componentError;
  const empty =
    (typeof content !== "string" || content.trim() === "") &&
    !(Array.isArray(embeds) && embeds.length > 0) &&
    !(Array.isArray(components) && components.length > 0) &&
    !(Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0) &&
    body.poll === undefined &&
    !options.hasFiles;
  return options.create && empty ? errors.emptyMessage() : undefined;
}

export function checkAutocompleteResult(data: Record<string, unknown>): RestResult | undefined {
  const choices = Array.isArray(data.choices) ? data.choices : undefined;
  if (!choices) return formError("data.choices", "BASE_TYPE_REQUIRED", "This field is required");
  if (choices.length > messageLimits.autocompleteChoices) {
    return tooLong("data.choices", messageLimits.autocompleteChoices);
  }
  for (const [i, choice] of choices.entries()) {
    const { name, value } = record(choice);
    if (length(name) === 0 || length(name) > messageLimits.choiceName) {
      return formError(
        `data.choices.${i}.name`,
        "BASE_TYPE_BAD_LENGTH",
        "Must be between 1 and 100 in length.",
      );
    }
    if (typeof value === "string" && length(value) > messageLimits.choiceName) {
      return tooLong(`data.choices.${i}.value`, messageLimits.choiceName);
    }
  }
  return undefined;
}

export function checkModal(data: Record<string, unknown>): RestResult | undefined {
  if (length(data.title) === 0 || length(data.title) > messageLimits.modalTitle) {
    return formError("data.title", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.");
  }
  if (length(data.custom_id) === 0 || length(data.custom_id) > messageLimits.customId) {
    return formError("data.custom_id", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
  }
  const components = Array.isArray(data.components) ? data.components : [];
  if (components.length === 0 || components.length > 5) {
    return formError("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
  }
  return undefined;
}
