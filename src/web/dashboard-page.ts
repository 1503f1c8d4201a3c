import type { Speaker } from "../messages/speaker.js";
import type { Team, Workspace } from "../sales/deps.js";
import { type Html, markup } from "./layout.js";

/** What a dashboard link shows: whose figures, and the period asked for (`?period=`), as typed. */
export interface DashboardLinkView {
  workspace: Workspace;
  /** The manager's team; null: the whole workspace. */
  team: Team | null;
  scopeName: string;
  period: string | undefined;
  speaker: Speaker;
}

/** The dashboard's body until its charts are drawn: whose dashboard it is. */
export function dashboardPlaceholder(view: DashboardLinkView): Html {
  const { t } = view.speaker;
  return markup`<main class="page dashboard">
<h1>${t("dashboard.title", { scope: view.scopeName })}</h1>
<p>${t("dashboard.coming", { scope: view.scopeName, period: view.period ?? t("period.month") })}</p>
</main>`;
}
