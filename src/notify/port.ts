import type { Reply } from "../messages/reply.js";
import type { Workspace } from "../sales/deps.js";
import type { Destination } from "./outbox.js";

/** One notification on its way to a platform. */
export interface OutboundMessage {
  workspace: Workspace;
  destination: Destination;
  reply: Reply;
  /** The outbox dedupe key; platforms carry it so a resend after a crash can find the first post. */
  dedupeKey: string;
  /** 1 on the first try; more means an earlier try may have posted before the process stopped. */
  attempt: number;
}

/** A platform's way to post: Slack, Discord and the shell each implement it. */
export interface DeliveryPort {
  /** Least time between two messages to one destination (Slack: one a second per channel). */
  minIntervalMs: number;
  /** Posts the message (or finds the earlier post of the same key) and returns its platform reference. */
  deliver(message: OutboundMessage): Promise<string>;
}

/** A delivery that did not happen: retried later when `retryable`, after `retryAfterMs` when the platform said so. */
export class DeliveryError extends Error {
  override name = "DeliveryError";
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
