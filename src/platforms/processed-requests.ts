import type { Clock } from "../clock.js";
import type { PrismaClient } from "../generated/prisma/client.js";

/**
 * Claims a platform request id once: true the first time, false for a redelivery (HTTP retry,
 * Socket Mode redelivery, a second replica). Claims expire after `ttlMs`, longer than the
 * platform's last retry; expired ones are swept as new ones are made.
 */
export function createRequestClaims(db: PrismaClient, clock: Clock, ttlMs: number) {
  let lastSweep = 0;
  return async function claim(key: string): Promise<boolean> {
    const now = clock.now();
    if (now.getTime() - lastSweep > ttlMs) {
      lastSweep = now.getTime();
      await db.processedRequest.deleteMany({ where: { expiresAt: { lt: now } } });
    }
    // One statement on every request: raw, so no query is compiled for it, and a repeat is a row
    // not inserted rather than an error thrown.
    const inserted = await db.$executeRaw`
      INSERT INTO processed_request (key, expires_at) VALUES (${key}, ${new Date(now.getTime() + ttlMs)})
      ON CONFLICT (key) DO NOTHING`;
    return inserted === 1;
  };
}

export type ClaimRequest = ReturnType<typeof createRequestClaims>;
