import type { MessageKey } from "./messages/catalog/keys.js";

/** Codes of the errors the service raises on purpose; each maps to a localised message. */
export type AppErrorCode = "invalid_input" | "not_found" | "forbidden" | "conflict" | "unavailable";

export type MessageParams = Record<string, string | number>;

/**
 * The one error type the service throws. `key` names the user-facing message in the catalogs;
 * adapters render it in the workspace locale at their edge.
 */
export class AppError extends Error {
  override readonly name = "AppError";

  constructor(
    readonly code: AppErrorCode,
    readonly key: MessageKey,
    readonly params: MessageParams = {},
  ) {
    super(`${code}: ${key}`);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
