import type { Clock } from "../clock.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";

export type {
  Contact,
  Contest,
  Customer,
  Deal,
  DealEvent,
  Goal,
  Member,
  Product,
  Reminder,
  Team,
  Workspace,
} from "../generated/prisma/client.js";
export {
  ContestMetric,
  GoalMetric,
  GoalScope,
  LostReason,
  PeriodKind as GoalPeriodKind,
  Role,
  Stage,
} from "../generated/prisma/enums.js";

/** What every service is built from: the database and the clock. */
export interface SalesDeps {
  db: PrismaClient;
  clock: Clock;
}

export type Tx = Prisma.TransactionClient;
export type Db = PrismaClient | Tx;
