import type { DeliveryPort } from "../../notify/port.js";
import { renderText } from "./render-text.js";

/** `[#wins]` for a channel, `[dm @alice]` for a direct message. */
export function shellLabel(destination: string): string {
  return destination.startsWith("@") ? `[dm ${destination}]` : `[${destination}]`;
}

/** The shell's delivery port: a notification is printed, prefixed with where it would have gone. */
export function createShellPort(write: (text: string) => void): DeliveryPort {
  return {
    minIntervalMs: 0,
    async deliver(message) {
      write(`${shellLabel(message.destination)} ${renderText(message.reply)}`);
      return `shell:${message.dedupeKey}`;
    },
  };
}
