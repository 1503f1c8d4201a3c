import type { PrismaClient } from "../../src/generated/prisma/client.js";
import type { Destination, Notification } from "../../src/notify/outbox.js";
import type { DeliveryPort, OutboundMessage } from "../../src/notify/port.js";
import { createShellPort } from "../../src/platforms/shell/shell-port.js";
import type { Workspace } from "../../src/sales/deps.js";

/** A win celebration with a key of its own, going to `destination`. */
export function notification(key: string, destination: Destination, title = `Won ${key}`): Notification {
  return {
    key,
    kind: "win",
    destination,
    reply: { visibility: "public", title, lines: [`Deal ${key} closed`] },
  };
}

export interface RecordingPort extends DeliveryPort {
  /** Every call to `deliver`, failed ones included. */
  calls: OutboundMessage[];
  /** The messages delivered, in order. */
  delivered: OutboundMessage[];
  /** What the shell printed for them. */
  printed: string[];
  /** The next deliveries throw these errors, one each, in order. */
  failNext(...errors: Error[]): void;
}

/** The shell's delivery port, recording what it was asked to deliver and able to fail on demand. */
export function createRecordingPort(minIntervalMs = 0): RecordingPort {
  const printed: string[] = [];
  const shell = createShellPort((text) => printed.push(text));
  const calls: OutboundMessage[] = [];
  const delivered: OutboundMessage[] = [];
  const failures: Error[] = [];
  return {
    minIntervalMs,
    calls,
    delivered,
    printed,
    failNext: (...errors) => {
      failures.push(...errors);
    },
    async deliver(message) {
      calls.push(message);
      const failure = failures.shift();
      if (failure) throw failure;
      const ref = await shell.deliver(message);
      delivered.push(message);
      return ref;
    },
  };
}

/** The workspace's outbox rows, oldest first. */
export function outboxRows(db: PrismaClient, ws: Workspace) {
  return db.outbox.findMany({ where: { workspaceId: ws.id }, orderBy: { id: "asc" } });
}

/** One outbox row by its dedupe key. */
export function outboxRow(db: PrismaClient, key: string) {
  return db.outbox.findUniqueOrThrow({ where: { dedupeKey: key } });
}
