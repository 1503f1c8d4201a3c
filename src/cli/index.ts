import { ConfigError, loadConfig } from "../config.js";
import { DatabaseUnreachableError, openDatabase } from "../db/client.js";
import { MigrationError } from "../db/migrate.js";
import { createLogger } from "../logger.js";
import { UsageError } from "./usage-error.js";

const USAGE = `Usage: closer <command>

  start                 run every configured platform; with none, the shell (default)
  shell                 the shell platform only
  migrate               apply pending database migrations and exit
  seed-demo             fill the database with a demo sales team
  run-job <digest|recognition|reminders> [--workspace W] [--at ISO-8601]
  import deals <file> [--preset hubspot|pipedrive|salesforce|closer] [--map "Header=field,…"]
        [--stages "Their stage=our stage,…"] [--workspace W] [--create-members] [--commit]
        [--errors <file>]   a dry run unless --commit; the report says what it would do
  import contacts <file> [--workspace W] [--errors <file>] [--commit]
                        people at customers (customer, name, role, email, phone columns)
  export <deals|customers|events|contacts> [--workspace W] [--from DATE] [--to DATE]
                        CSV on stdout; W: an id or a name (needed with several
                        workspaces); dates YYYY-MM-DD in the workspace's time zone,
                        --to included (--to 2026-03-31 takes March 31); deals are
                        those created or closed in the range, events those in it
  discord:register [--guild ID]
  help                  this text`;

const COMMANDS = new Set([
  "start",
  "shell",
  "migrate",
  "seed-demo",
  "discord:register",
  "run-job",
  "import",
  "export",
]);

/** After `start` returns, how long stray timers may keep the process before it exits anyway. */
const EXIT_GRACE_MS = 2000;

async function main(argv: string[]): Promise<number> {
  const [command = "start", ...rest] = argv;
  if (command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  // A stray rejection in a handler is logged, never fatal: the process serves every other request.
  process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled rejection"));
  if (!COMMANDS.has(command)) {
    process.stderr.write(`closer: unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  const jobArgs = command === "run-job" ? (await import("./run-job.js")).parseRunJobArgs(rest) : undefined;
  if (typeof jobArgs === "string") {
    process.stderr.write(`closer run-job: ${jobArgs}\n`);
    return 2;
  }
  // Bad arguments are refused before the database is opened.
  const importArgs = command === "import" ? (await import("./import.js")).parseImportArgs(rest) : undefined;
  if (typeof importArgs === "string") {
    process.stderr.write(`closer import: ${importArgs}\n`);
    return 2;
  }
  const exportArgs = command === "export" ? (await import("./export.js")).parseExportArgs(rest) : undefined;
  // Opening the database (PGlite compiles its WASM meanwhile) starts before the rest of Closer
  // loads. A failure is reported where it is awaited.
  const database = command === "discord:register" ? undefined : openDatabase(config.databaseUrl);
  database?.catch(() => {});
  const { createApp, start } = await import("../main.js");
  const app = () => createApp(config, log, undefined, database);
  switch (command) {
    case "start":
    case "shell":
      await start(config, log, {
        database,
        stdin: process.stdin,
        stdout: process.stdout,
        interactive: Boolean(process.stdin.isTTY),
        shellOnly: command === "shell",
        stopped: new Promise<void>((resolve) => {
          process.once("SIGINT", () => resolve());
          process.once("SIGTERM", () => resolve());
        }),
      });
      // Everything is stopped; a library's leftover timer (a request to a platform that went away,
      // waiting out its timeout) must not keep the process alive much longer.
      setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
      return 0;
    case "migrate": {
      await (await app()).close();
      process.stdout.write("migrations up to date\n");
      return 0;
    }
    case "seed-demo": {
      const { seedDemo } = await import("./seed-demo.js");
      const opened = await app();
      try {
        process.stdout.write(`${await seedDemo(opened.db.prisma)}\n`);
      } finally {
        await opened.close();
      }
      return 0;
    }
    case "discord:register": {
      if (!config.discord) {
        process.stderr.write("closer discord:register: set DISCORD_TOKEN and DISCORD_APPLICATION_ID\n");
        return 2;
      }
      const at = rest.indexOf("--guild");
      const guild = at >= 0 ? rest[at + 1] : undefined;
      if (at >= 0 && !/^\d{5,25}$/.test(guild ?? "")) {
        process.stderr.write("closer discord:register: --guild takes a guild id\n");
        return 2;
      }
      const { registerDiscordCommands } = await import("../platforms/discord/register-commands.js");
      const count = await registerDiscordCommands(config.discord, guild);
      process.stdout.write(`registered ${count} commands ${guild ? `in guild ${guild}` : "globally"}\n`);
      return 0;
    }
    case "import": {
      if (!importArgs) return 2;
      const [{ importCommand }, { importContactsCommand }, { resolveWorkspace }] = await Promise.all([
        import("./import.js"),
        import("./import-contacts.js"),
        import("./workspace-option.js"),
      ]);
      const opened = await app();
      try {
        const ws = await resolveWorkspace(opened.db.prisma, importArgs.workspace, "import");
        const io = { stdout: process.stdout, stderr: process.stderr };
        const code = await (importArgs.what === "contacts" ? importContactsCommand : importCommand)(
          opened.sales,
          ws,
          importArgs,
          io,
        );
        // PGlite has no autovacuum: until the nightly one, the figures would read each imported
        // deal's row beside its index entry (docs/decisions.md, "Indexes that answer alone").
        if (importArgs.commit && opened.db.kind === "pglite")
          await opened.db.sql.exec("VACUUM (ANALYZE) deal");
        return code;
      } finally {
        await opened.close();
      }
    }
    case "run-job": {
      if (!jobArgs) return 2;
      const { runJobCommand } = await import("./run-job.js");
      const opened = await app();
      try {
        return await runJobCommand(opened, config, log, jobArgs, {
          stdout: process.stdout,
          stderr: process.stderr,
        });
      } finally {
        await opened.close();
      }
    }
    case "export": {
      if (!exportArgs) return 2;
      const { runExport } = await import("./export.js");
      const opened = await app();
      try {
        return await runExport(opened, exportArgs, process.stdout);
      } finally {
        await opened.close();
      }
    }
  }
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`closer ${error.command}: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    // Expected failures get one clear line; anything else its stack, for a bug report. A database
    // that cannot be reached at start is expected: the process exits 1 and its supervisor restarts it.
    const known =
      error instanceof ConfigError ||
      error instanceof MigrationError ||
      error instanceof DatabaseUnreachableError;
    process.stderr.write(
      `closer: ${known ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
