import type { PrismaClient } from "../generated/prisma/client.js";
import { createAchievementService } from "./achievements/achievement-service.js";
import { createActivityService } from "./activities/activity-service.js";
import { createAwardService } from "./awards/award-service.js";
import { createContactService } from "./contacts/contact-service.js";
import { createContestService } from "./contests/contest-service.js";
import { createCustomerService } from "./customers/customer-service.js";
import { createDashboardService } from "./dashboard/dashboard-service.js";
import { createDealService, type OnAchievements, type OnWin } from "./deals/deal-service.js";
import type { SalesDeps, Tx } from "./deps.js";
import { createDigestService } from "./digest/digest-service.js";
import { createExportService } from "./exports/export-service.js";
import { createFocusService } from "./focus/focus-service.js";
import { createForecastService } from "./forecast/forecast-service.js";
import { createGoalService } from "./goals/goal-service.js";
import { createImportService } from "./imports/import-service.js";
import { createKpiService } from "./kpis/kpi-service.js";
import { createKudosService, type OnKudos } from "./kudos/kudos-service.js";
import { createLeaderboardService } from "./leaderboard/leaderboard-service.js";
import { createLinkService } from "./links/link-service.js";
import { createMemberService, type Identity, type MemberIdentity } from "./members/member-service.js";
import { createOutboxService } from "./outbox/outbox-service.js";
import { createProductService } from "./products/product-service.js";
import { createReminderService } from "./reminders/reminder-service.js";
import { createWinNoteService } from "./wins/win-note-service.js";
import { createWorkspaceService, type WorkspaceIdentity } from "./workspaces/workspace-service.js";

export interface SalesServiceDeps extends SalesDeps {
  /** What happens, inside the win's transaction, when a deal is won: the caller announces it. */
  onWin: OnWin;
  /** What happens, inside the kudos' transaction, when a member thanks another: the caller announces it. */
  onKudos: OnKudos;
  /** What happens, inside a change's transaction, with the achievements it earned: the caller announces them. */
  onAchievements?: OnAchievements | undefined;
  /** Where the pages a view link opens are served (`PUBLIC_URL`). */
  publicUrl?: string | undefined;
}

/**
 * A transaction as the client services are built on: a service's own `$transaction` joins it, as
 * PostgreSQL has no nested transaction, so everything they do commits or rolls back together.
 */
function joined(tx: Tx): PrismaClient {
  const join = (work: unknown) =>
    typeof work === "function" ? work(tx) : Promise.all(work as Promise<unknown>[]);
  return new Proxy(tx, {
    get: (target, key) => (key === "$transaction" ? join : Reflect.get(target, key)),
  }) as unknown as PrismaClient;
}

/** The platform-neutral sales service: every feature, built on one database and one clock. */
export function createSalesService(deps: SalesServiceDeps): SalesService {
  return {
    ...servicesOn(deps),
    transaction: (work) =>
      deps.db.$transaction((tx) => work(createSalesService({ ...deps, db: joined(tx) }))),
  };
}

function servicesOn(deps: SalesServiceDeps) {
  const workspaces = createWorkspaceService(deps);
  const members = createMemberService(deps);
  return {
    clock: deps.clock,
    workspaces,
    members,
    /**
     * The workspace and member behind a platform request, each created on first use (atomically,
     * see `ensureWorkspace` and `ensureMember`). A known member of a known workspace costs one
     * statement, one more when their platform raised their role or gave a new email.
     */
    async identify(team: WorkspaceIdentity, who: MemberIdentity): Promise<Identity> {
      const known = await members.findIdentity(team, who.platformUserId);
      if (known?.member) {
        const member = await members.refreshMember(known.workspace, known.member, who);
        return { workspace: known.workspace, member };
      }
      if (known) return { workspace: known.workspace, member: await members.newMember(known.workspace, who) };
      const workspace = await workspaces.newWorkspace(team);
      return { workspace, member: await members.newMember(workspace, who) };
    },
    customers: createCustomerService(deps),
    contacts: createContactService(deps),
    deals: createDealService(deps),
    goals: createGoalService(deps),
    kpis: createKpiService(deps),
    leaderboard: createLeaderboardService(deps),
    forecast: createForecastService(deps),
    awards: createAwardService(deps),
    reminders: createReminderService(deps),
    focus: createFocusService(deps),
    digest: createDigestService(deps),
    outbox: createOutboxService(deps),
    imports: createImportService(deps),
    exports: createExportService(deps),
    links: createLinkService(deps),
    dashboard: createDashboardService(deps),
    contests: createContestService(deps),
    kudos: createKudosService(deps),
    winNotes: createWinNoteService(deps),
    achievements: createAchievementService(deps),
    activities: createActivityService(deps),
    products: createProductService(deps),
  };
}

export interface SalesService extends ReturnType<typeof servicesOn> {
  /**
   * Runs `work` with the service inside one transaction: what it writes, and what the services it
   * calls write in their own transactions, commits when it returns and rolls back when it throws.
   */
  transaction<R>(work: (sales: SalesService) => Promise<R>): Promise<R>;
}
