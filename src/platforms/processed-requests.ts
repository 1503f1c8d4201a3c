import type { Clock } from "../clock.js";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";

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
    try {
      await db.processedRequest.create({ data: { key, expiresAt: new Date(now.getTime() + ttlMs) } });
      return true;
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return false;
      throw error;
    }
  };
}

export type ClaimRequest = ReturnType<typeof createRequestClaims>;
