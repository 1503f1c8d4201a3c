import { createFixedClock, systemClock } from "../clock.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { SHELL_WORKSPACE } from "../platforms/shell/shell.js";
import { LOST_REASONS, OPEN_STAGES } from "../sales/deals/stages.js";
import type { Member } from "../sales/deps.js";
import { createSalesService } from "../sales/sales-service.js";

const CUSTOMERS = [
  "Acme Corp",
  "Globex",
  "Initech",
  "Umbrella",
  "Stark Industries",
  "Wayne Enterprises",
  "Hooli",
  "Pied Piper",
  "Soylent",
  "Cyberdyne",
  "Tyrell",
  "Wonka",
  "Gringotts",
  "Oscorp",
  "Vandelay",
  "Dunder Mifflin",
  "Massive Dynamic",
  "Aperture",
  "Black Mesa",
  "Monarch",
  "Blue Sun",
  "Nakatomi",
  "Prestige Worldwide",
  "Bluth Company",
  "Sterling Cooper",
  "Los Pollos Hermanos",
  "Krusty Krab",
  "Duff",
  "Ollivanders",
  "Zorg",
  "Virtucon",
  "Kramerica",
  "Genco",
  "Buy n Large",
  "Ecorp",
  "Weyland",
  "Rekall",
  "Spacely",
  "Cogswell",
  "Axiom",
];
const SOURCES = ["referral", "website", "outbound", "event", "partner"];
const TEAMS = { North: ["alice", "bob", "chloe", "david"], South: ["emma", "farid", "gina", "hugo"] };
const MANAGERS = { North: "marie", South: "tom" };

/** A small deterministic generator, so every demo is the same demo. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Plan {
  at: number;
  run: () => Promise<unknown>;
}

/**
 * Fills the shell workspace with a believable team: two teams of four reps with their managers,
 * forty customers, six months of deals logged, moved, won and lost through the service itself
 * (so events and reminders are real), and this month's and quarter's goals.
 */
export async function seedDemo(db: PrismaClient, now = systemClock.now()): Promise<string> {
  const clock = createFixedClock(new Date(now.getTime() - 183 * 86_400_000));
  // Six months of history are not news: the demo's wins are recorded without celebrations.
  const sales = createSalesService({ db, clock, onWin: async () => {}, onKudos: async () => {} });
  const ws = await sales.workspaces.ensureWorkspace(SHELL_WORKSPACE);
  if ((await db.deal.count({ where: { workspaceId: ws.id } })) > 0) {
    return "The local workspace already has deals; seed-demo only fills an empty one.";
  }
  const rnd = random(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const member = (name: string) =>
    sales.members.ensureMember(ws, {
      platformUserId: name,
      displayName: name[0]?.toUpperCase() + name.slice(1),
    });

  const admin = await member("admin");
  const reps: Member[] = [];
  for (const [team, names] of Object.entries(TEAMS)) {
    const manager = await sales.members.setRole(
      ws,
      admin,
      await member(MANAGERS[team as keyof typeof MANAGERS]),
      "manager",
    );
    const members = await Promise.all(names.map(member));
    await sales.members.addToTeam(ws, admin, team, [manager, ...members]);
    reps.push(...(await Promise.all(members.map((m) => sales.members.getMemberById(ws, m.id)))));
  }

  const plans: Plan[] = [];
  const start = clock.now().getTime();
  const day = 86_400_000;
  for (const rep of reps) {
    const skill = 0.35 + rnd() * 0.4;
    for (let t = start + rnd() * 5 * day; t < now.getTime() - day; t += (2 + rnd() * 5) * day) {
      const amount = BigInt(Math.round((2 + rnd() ** 2 * 58) * 100) * 1000);
      const customer = pick(CUSTOMERS);
      const source = pick(SOURCES);
      const closeAt = t + (7 + rnd() * 50) * day;
      const stage = pick(OPEN_STAGES.slice(0, 3));
      const holder: { number?: number } = {};
      plans.push({
        at: t,
        run: async () => {
          const { deal } = await sales.deals.logDeal(ws, rep, { amount, customer, stage, source });
          holder.number = deal.number;
        },
      });
      if (closeAt < now.getTime()) {
        const won = rnd() < skill;
        const reason = pick(LOST_REASONS);
        plans.push({
          at: closeAt,
          run: () =>
            holder.number === undefined
              ? Promise.resolve()
              : won
                ? sales.deals.winDeal(ws, rep, holder.number)
                : sales.deals.loseDeal(ws, rep, holder.number, reason),
        });
      } else if (rnd() < 0.6) {
        plans.push({
          at: (t + now.getTime()) / 2,
          run: () =>
            holder.number === undefined
              ? Promise.resolve()
              : sales.deals.moveStage(ws, rep, holder.number, "negotiation").catch(() => undefined),
        });
      }
    }
  }
  plans.sort((a, b) => a.at - b.at);
  for (const plan of plans) {
    clock.set(new Date(plan.at));
    await plan.run();
  }

  clock.set(now);
  for (const rep of reps) {
    await sales.goals.setGoal(
      ws,
      admin,
      { scope: "member", member: rep },
      "revenue",
      "month",
      BigInt(Math.round(30 + rnd() * 30)) * 100_000n,
    );
  }
  for (const team of await sales.members.listTeams(ws)) {
    await sales.goals.setGoal(ws, admin, { scope: "team", team }, "revenue", "month", 16_000_000n);
  }
  await sales.goals.setGoal(ws, admin, { scope: "company" }, "revenue", "month", 32_000_000n);
  await sales.goals.setGoal(ws, admin, { scope: "company" }, "revenue", "quarter", 100_000_000n);
  await sales.goals.setGoal(ws, admin, { scope: "company" }, "deals", "month", 30n);

  const deals = await db.deal.count({ where: { workspaceId: ws.id } });
  return `Demo team ready: ${reps.length} reps in 2 teams, ${CUSTOMERS.length} customers, ${deals} deals over 6 months, goals for this month and quarter. Try /kpi month, /leaderboard quarter, /forecast quarter.`;
}
