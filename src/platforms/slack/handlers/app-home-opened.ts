import type { App, types } from "@slack/bolt";
import { buildHome } from "../home.js";
import type { ListenerKit } from "../listener-kit.js";

/** The App Home opened: the member's pipeline, goals, reminders and rank, published for them. */
export function onAppHomeOpened(app: App, kit: ListenerKit) {
  app.event("app_home_opened", async ({ event, body, client }) => {
    if (event.tab !== "home") return;
    const teamId = ("team_id" in body ? String(body.team_id) : "") || (event as { team?: string }).team || "";
    if (!(await kit.claim(`slack:${teamId}:event:${"event_id" in body ? body.event_id : event.event_ts}`)))
      return;
    const ctx = await kit.identities.contextFor(client, teamId, event.user);
    await client.views.publish({ user_id: event.user, view: (await buildHome(ctx)) as types.HomeView });
  });
}
