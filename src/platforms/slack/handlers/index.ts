import type { App } from "@slack/bolt";
import type { ListenerKit } from "../listener-kit.js";
import { onAppHomeOpened } from "./app-home-opened.js";
import { onBlockAction } from "./block-action.js";
import { onEditButton } from "./edit-button.js";
import { onSlashCommand } from "./slash-command.js";
import { onViewSubmission } from "./view-submission.js";

/** The Slack requests Closer answers, one file each: each registers its Bolt listener. */
export const LISTENERS: ((app: App, kit: ListenerKit) => void)[] = [
  onSlashCommand,
  onBlockAction,
  onEditButton,
  onViewSubmission,
  onAppHomeOpened,
];
