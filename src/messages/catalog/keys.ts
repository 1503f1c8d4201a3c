import type { en } from "./en.js";

/** A message's key: the English catalog names them all, and every other catalog has each. */
export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;
