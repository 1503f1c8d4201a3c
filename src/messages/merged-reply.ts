import type { Locale } from "../sales/workspaces/locales.js";
import { translator } from "./i18n.js";
import { labelled, type Reply } from "./reply.js";

/**
 * Posts the quiet hours held for one channel, as one message: "While you were away", then each
 * post's title as a bullet with its fields and lines under it, in the order they were due. Tables,
 * charts and buttons of the posts are left out: the merged kinds are text (wins, achievements, kudos).
 */
export function mergedReply(replies: Reply[], locale: Locale): Reply {
  const t = translator(locale);
  const lines = replies.flatMap((reply) => {
    const body = [...(reply.fields ?? []).map((f) => labelled(reply, f.label, f.value)), ...reply.lines].map(
      (line) => `   ${line}`,
    );
    return reply.title ? [`• ${reply.title}`, ...body] : body.map((line) => `•${line.slice(2)}`);
  });
  return {
    visibility: "public",
    locale,
    title: t("quiet.merged.title", { count: replies.length }),
    lines,
  };
}
