import type { Writable } from "node:stream";
import { isAppError } from "../errors.js";
import { translator } from "../messages/i18n.js";
import type { Workspace } from "../sales/deps.js";
import type { SalesService } from "../sales/sales-service.js";
import { localeOf } from "../sales/workspaces/workspace-service.js";
import { openCsv } from "../transfer/csv-read.js";
import { readContacts } from "../transfer/read-contacts.js";
import { type ImportArgs, writeErrors } from "./import.js";

/**
 * `closer import contacts`: reads the file's contacts, then reports what the import would do (a dry
 * run) or, with `--commit`, does it in one transaction. A rejected row is reported with its line
 * and column and nothing of it is written. Exit code 0 when every row was read, 1 otherwise.
 */
export async function importContactsCommand(
  sales: SalesService,
  ws: Workspace,
  args: Pick<ImportArgs, "file" | "commit" | "errors">,
  io: { stdout: Writable; stderr: Writable },
): Promise<number> {
  const t = translator(localeOf(ws));
  try {
    const reading = await readContacts(await openCsv(args.file), ws);
    const summary = await sales.contacts.importContacts(ws, reading.rows, { commit: args.commit });
    const lines = [
      t(summary.committed ? "import.report.committed" : "import.report.dry_run", { workspace: ws.name }),
      t(summary.committed ? "contact.import_done" : "contact.import_plan", {
        created: summary.created,
        updated: summary.updated,
        customers: summary.customers,
      }),
    ];
    if (reading.rejections.length > 0) {
      lines.push(t("import.report.rejected", { n: reading.rejections.length }));
      for (const r of reading.rejections)
        lines.push(
          `  ${t("import.report.rejection", { line: r.line, column: r.column, reason: t(r.key, r.params) })}`,
        );
    }
    if (!summary.committed) lines.push(t("import.report.commit_hint"));
    io.stdout.write(`${lines.join("\n")}\n`);
    if (args.errors) await writeErrors(args.errors, reading.header, reading.rejections, t);
    return reading.rejections.length > 0 ? 1 : 0;
  } catch (error) {
    if (!isAppError(error)) throw error;
    io.stderr.write(`closer import: ${t(error.key, error.params)}\n`);
    return 1;
  }
}
