import { isRecord } from "./api-result.js";

/**
 * The Block Kit limits Slack enforces, as data, so renderers that forget to truncate fail here the way
 * they would against Slack (`invalid_blocks` / `invalid_arguments` with "[ERROR] …" messages).
 */
export const blockLimits = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  sectionText: 3_000,
  sectionFields: 10,
  sectionFieldText: 2_000,
  headerText: 150,
  actionsElements: 25,
  contextElements: 10,
  viewTitle: 24,
  viewPrivateMetadata: 3_000,
  viewCallbackId: 255,
  imageAltText: 2_000,
  imageTitle: 2_000,
  imageUrl: 3_000,
} as const;

/**
 * Whether the posting bot may show an uploaded file in an image block (`slack_file.id`): undefined
 * when it may, else why not. Without one, every `slack_file` is refused, as Slack refuses a file it
 * does not know.
 */
export type SlackFileCheck = (id: string) => string | undefined;

/** An image block's errors: alt text, exactly one source, the `slack_file` a file the bot may show. */
function imageErrors(
  block: Record<string, unknown>,
  at: string,
  checkFile: SlackFileCheck | undefined,
): string[] {
  const errors: string[] = [];
  if (typeof block.alt_text !== "string" || block.alt_text.length === 0)
    errors.push(`[ERROR] missing required field: alt_text [json-pointer:${at}]`);
  else if (block.alt_text.length > blockLimits.imageAltText)
    errors.push(
      `[ERROR] must be less than ${blockLimits.imageAltText + 1} characters [json-pointer:${at}/alt_text]`,
    );
  if (block.title !== undefined) {
    const title = isRecord(block.title) ? block.title : {};
    if (title.type !== "plain_text")
      errors.push(`[ERROR] must be one of: plain_text [json-pointer:${at}/title/type]`);
    if (tooLong(textOf(title), blockLimits.imageTitle))
      errors.push(
        `[ERROR] must be less than ${blockLimits.imageTitle + 1} characters [json-pointer:${at}/title/text]`,
      );
  }
  const hasUrl = block.image_url !== undefined;
  const hasFile = block.slack_file !== undefined;
  if (hasUrl === hasFile) {
    errors.push(`[ERROR] must provide exactly one of image_url or slack_file [json-pointer:${at}]`);
    return errors;
  }
  if (hasUrl) {
    if (typeof block.image_url !== "string" || block.image_url.length > blockLimits.imageUrl)
      errors.push(
        `[ERROR] must be less than ${blockLimits.imageUrl + 1} characters [json-pointer:${at}/image_url]`,
      );
    return errors;
  }
  const file = isRecord(block.slack_file) ? block.slack_file : {};
  if ((file.id === undefined) === (file.url === undefined)) {
    errors.push(`[ERROR] must provide exactly one of id or url [json-pointer:${at}/slack_file]`);
    return errors;
  }
  if (file.id !== undefined) {
    if (typeof file.id !== "string" || !/^F[A-Z0-9]{8,}$/.test(file.id)) {
      errors.push(
        `[ERROR] input must match regex pattern: ^[F][A-Z0-9]{8,}$ [json-pointer:${at}/slack_file/id]`,
      );
      return errors;
    }
    const refused = checkFile ? checkFile(file.id) : "unknown file";
    if (refused !== undefined) errors.push(`[ERROR] invalid slack file [json-pointer:${at}/slack_file]`);
  }
  return errors;
}

function textOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.text === "string" ? value.text : undefined;
}

function tooLong(text: string | undefined, max: number): boolean {
  return text !== undefined && text.length > max;
}

/** "[ERROR] …" messages for every limit `blocks` breaks; empty when they are fine. */
export function blockErrors(
  blocks: unknown,
  maxBlocks: number,
  pointer = "/blocks",
  checkFile?: SlackFileCheck,
): string[] {
  if (blocks === undefined) return [];
  if (!Array.isArray(blocks)) return [`[ERROR] must be an array [json-pointer:${pointer}]`];
  const errors: string[] = [];
  if (blocks.length > maxBlocks) {
    errors.push(`[ERROR] no more than ${maxBlocks} items allowed [json-pointer:${pointer}]`);
  }
  blocks.forEach((block, i) => {
    const at = `${pointer}/${i}`;
    if (!isRecord(block) || typeof block.type !== "string") {
      errors.push(`[ERROR] missing required field: type [json-pointer:${at}]`);
      return;
    }
    if (block.type === "section") {
      if (tooLong(textOf(block.text), blockLimits.sectionText)) {
        errors.push(
          `[ERROR] must be less than ${blockLimits.sectionText + 1} characters [json-pointer:${at}/text/text]`,
        );
      }
      const fields = Array.isArray(block.fields) ? block.fields : [];
      if (fields.length > blockLimits.sectionFields) {
        errors.push(
          `[ERROR] no more than ${blockLimits.sectionFields} items allowed [json-pointer:${at}/fields]`,
        );
      }
      fields.forEach((field, j) => {
        if (tooLong(textOf(field), blockLimits.sectionFieldText)) {
          errors.push(
            `[ERROR] must be less than ${blockLimits.sectionFieldText + 1} characters [json-pointer:${at}/fields/${j}/text]`,
          );
        }
      });
      if (textOf(block.text) === undefined && fields.length === 0) {
        errors.push(`[ERROR] must provide either text or fields [json-pointer:${at}]`);
      }
    }
    if (block.type === "image") errors.push(...imageErrors(block, at, checkFile));
    if (block.type === "header" && tooLong(textOf(block.text), blockLimits.headerText)) {
      errors.push(
        `[ERROR] must be less than ${blockLimits.headerText + 1} characters [json-pointer:${at}/text/text]`,
      );
    }
    const elements = Array.isArray(block.elements) ? block.elements : [];
    if (block.type === "actions" && elements.length > blockLimits.actionsElements) {
      errors.push(
        `[ERROR] no more than ${blockLimits.actionsElements} items allowed [json-pointer:${at}/elements]`,
      );
    }
    if (block.type === "context" && elements.length > blockLimits.contextElements) {
      errors.push(
        `[ERROR] no more than ${blockLimits.contextElements} items allowed [json-pointer:${at}/elements]`,
      );
    }
  });
  return errors;
}

/** Errors for a modal or home view payload (type, title, blocks, metadata sizes). */
export function viewErrors(view: unknown, allowedTypes: readonly string[]): string[] {
  if (!isRecord(view)) return ["[ERROR] failed to match all allowed schemas [json-pointer:/view]"];
  const errors: string[] = [];
  if (typeof view.type !== "string" || !allowedTypes.includes(view.type)) {
    errors.push(`[ERROR] must be one of: ${allowedTypes.join(", ")} [json-pointer:/view/type]`);
  }
  if (view.type === "modal") {
    const title = textOf(view.title);
    if (title === undefined) errors.push("[ERROR] missing required field: title [json-pointer:/view]");
    if (tooLong(title, blockLimits.viewTitle)) {
      errors.push(
        `[ERROR] must be less than ${blockLimits.viewTitle + 1} characters [json-pointer:/view/title/text]`,
      );
    }
  }
  if (!Array.isArray(view.blocks)) errors.push("[ERROR] missing required field: blocks [json-pointer:/view]");
  errors.push(...blockErrors(view.blocks, blockLimits.viewBlocks, "/view/blocks"));
  if (
    typeof view.private_metadata === "string" &&
    tooLong(view.private_metadata, blockLimits.viewPrivateMetadata)
  ) {
    errors.push(
      `[ERROR] must be less than ${blockLimits.viewPrivateMetadata + 1} characters [json-pointer:/view/private_metadata]`,
    );
  }
  if (typeof view.callback_id === "string" && tooLong(view.callback_id, blockLimits.viewCallbackId)) {
    errors.push(
      `[ERROR] must be less than ${blockLimits.viewCallbackId + 1} characters [json-pointer:/view/callback_id]`,
    );
  }
  return errors;
}
