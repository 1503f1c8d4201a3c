import { speakerFor } from "../messages/speaker.js";
import { channelOf, enqueue, type Notification } from "../notify/outbox.js";
import type { Workspace } from "../sales/deps.js";
import type { KudosGiven, OnKudos } from "../sales/kudos/kudos-service.js";

/** The wins-channel post of a kudos: who thanks whom, and what for. Nothing without a wins channel. */
export function kudosPostOf(ws: Workspace, kudos: KudosGiven): Notification[] {
  if (!ws.winsChannel) return [];
  const s = speakerFor(ws);
  return [
    {
      key: `kudos:${kudos.id}`,
      kind: "kudos",
      destination: channelOf(ws.winsChannel),
      reply: {
        visibility: "public",
        locale: s.locale,
        title: s.t("notify.kudos.title", { from: kudos.from.displayName, to: kudos.to.displayName }),
        lines: [s.t("notify.kudos.text", { text: kudos.text })],
      },
    },
  ];
}

/** Announces a kudos in its own transaction: the post commits with the kudos, or not at all. */
export const announceKudos: OnKudos = async (tx, ws, kudos, at) => {
  await enqueue(tx, ws, kudosPostOf(ws, kudos), at);
};
