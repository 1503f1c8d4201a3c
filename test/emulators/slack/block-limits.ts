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
} as const;

function textOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.text === "string" ? value.text : undefined;
}

function tooLong(text: string | undefined, max: number): boolean {
  return text !== undefined && text.length > max;
}

/** "[ERROR] …" messages for every limit `blocks` breaks; empty when they are fine. */
export function blockErrors(blocks: unknown, maxBlocks: number, pointer = "/blocks"): string[] {
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
