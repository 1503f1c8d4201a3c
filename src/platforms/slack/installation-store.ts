import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import type { PrismaClient } from "../../generated/prisma/client.js";

/** An org-wide install is keyed by its enterprise, any other by its team. */
function keyOf(
  enterpriseId: string | undefined,
  teamId: string | undefined,
  isEnterpriseInstall: boolean,
): string {
  if (isEnterpriseInstall && enterpriseId) return `E:${enterpriseId}`;
  if (teamId) return `T:${teamId}`;
  throw new Error("installation without a team or an enterprise");
}

/** Slack OAuth installations kept in the database (multi-workspace mode). */
export function createInstallationStore(db: PrismaClient): InstallationStore {
  return {
    async storeInstallation(installation: Installation) {
      const isEnterprise = installation.isEnterpriseInstall === true;
      const key = keyOf(installation.enterprise?.id, installation.team?.id, isEnterprise);
      const data = JSON.parse(JSON.stringify(installation));
      await db.installation.upsert({
        where: { installKey: key },
        update: {
          data,
          teamId: installation.team?.id ?? null,
          enterpriseId: installation.enterprise?.id ?? null,
        },
        create: {
          installKey: key,
          data,
          teamId: installation.team?.id ?? null,
          enterpriseId: installation.enterprise?.id ?? null,
        },
      });
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const row = await db.installation.findUnique({
        where: { installKey: keyOf(query.enterpriseId, query.teamId, query.isEnterpriseInstall) },
      });
      if (!row) throw new Error(`no installation for ${query.teamId ?? query.enterpriseId}`);
      return row.data as unknown as Installation<"v1" | "v2", boolean>;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await db.installation.deleteMany({
        where: { installKey: keyOf(query.enterpriseId, query.teamId, query.isEnterpriseInstall) },
      });
    },
  };
}
