/**
 * Closer's layers, checked by `npm run check`: arrows point inward only.
 *
 *   cli, main                      the command line and the composition root
 *   platforms, http, scheduler     the edges: Slack, Discord, shell, the HTTP server, node-cron
 *   commands, announcements        what a command does and answers; what Closer says unprompted
 *   transfer                       CSV files in and out: Closer's format, the CRMs' presets
 *   notify                         the outbox, the dispatcher and the delivery ports
 *   web                            the TV page and the dashboard, served by the HTTP server
 *   charts                         charts drawn from data: SVG for pages, PNG for chat
 *   messages                       the reply model, formatting, catalogs
 *   sales                          the platform-neutral service
 *   db, kernel                     the database, the clock, errors, config, logs, metrics, small helpers
 *
 * Each rule names the folders a layer must not import. Type imports count: a type is a dependency.
 */
const outward = (...folders) => `^src/(${folders.join("|")})/|^src/main\\.ts$`;

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "An import cycle ties layers into one; split the module or pass a seam instead.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "sales-is-platform-neutral",
      comment: "The service knows nothing of commands, replies, notifications or platforms.",
      severity: "error",
      from: { path: "^src/sales/" },
      to: {
        path: outward(
          "commands",
          "messages",
          "announcements",
          "notify",
          "platforms",
          "http",
          "scheduler",
          "cli",
          "charts",
          "web",
        ),
      },
    },
    {
      name: "messages-below-commands",
      comment: "Replies, formats and catalogs are shared by commands and announcements, not built from them.",
      severity: "error",
      from: { path: "^src/messages/" },
      to: {
        // A chart as data (charts/spec.ts, types only) is part of a reply; drawing it stays in charts/.
        pathNot: "^src/charts/spec\\.ts$",
        path: outward(
          "commands",
          "announcements",
          "notify",
          "platforms",
          "http",
          "scheduler",
          "cli",
          "charts",
          "web",
        ),
      },
    },
    {
      name: "charts-draw-only",
      comment: "A chart is drawn from data it is given; it reads nothing and says nothing by itself.",
      severity: "error",
      from: { path: "^src/charts/" },
      to: {
        path: outward(
          "commands",
          "announcements",
          "notify",
          "platforms",
          "http",
          "scheduler",
          "cli",
          "web",
          "transfer",
          "db",
          "generated",
        ),
      },
    },
    {
      name: "web-pages-point-inward",
      comment:
        "Pages are an edge like the platforms: they read through the sales service and mount on the HTTP server.",
      severity: "error",
      from: { path: "^src/web/" },
      // A page reads the periods people type as commands read them: the one parser, not a second.
      to: {
        path: outward("platforms", "commands", "scheduler", "cli"),
        pathNot: "^src/commands/(period|when)\\.ts$",
      },
    },
    {
      name: "notify-is-delivery-only",
      comment: "notify/ is the outbox, the dispatcher and the ports: it never decides what to say.",
      severity: "error",
      from: { path: "^src/notify/" },
      to: { path: outward("commands", "announcements", "platforms", "http", "scheduler", "cli") },
    },
    {
      name: "commands-point-inward",
      severity: "error",
      from: { path: "^src/commands/" },
      to: { path: outward("announcements", "notify", "platforms", "http", "scheduler", "cli") },
    },
    {
      name: "commands-through-the-service",
      comment: "Commands reach the database through the sales service only.",
      severity: "error",
      from: { path: "^src/commands/" },
      to: { path: "^src/(db|generated)/" },
    },
    {
      name: "transfer-point-inward",
      comment: "Reading and writing files is used by the command line and commands, never the reverse.",
      severity: "error",
      from: { path: "^src/transfer/" },
      to: { path: outward("commands", "announcements", "notify", "platforms", "http", "scheduler", "cli") },
    },
    {
      name: "transfer-through-the-service",
      comment: "Files are read into, and written from, the sales service's records.",
      severity: "error",
      from: { path: "^src/transfer/" },
      to: { path: "^src/(db|generated)/" },
    },
    {
      name: "announcements-point-inward",
      severity: "error",
      from: { path: "^src/announcements/" },
      to: { path: outward("commands", "platforms", "http", "scheduler", "cli") },
    },
    {
      name: "scheduler-point-inward",
      severity: "error",
      from: { path: "^src/scheduler/" },
      to: { path: outward("commands", "platforms", "http", "cli") },
    },
    {
      name: "http-knows-no-platform",
      comment: "Platforms mount their routes on the server; the server does not reach for them.",
      severity: "error",
      from: { path: "^src/http/" },
      to: { path: outward("platforms", "commands", "announcements", "scheduler", "cli", "web") },
    },
    {
      name: "platforms-point-inward",
      severity: "error",
      from: { path: "^src/platforms/" },
      to: { path: outward("scheduler", "cli") },
    },
    {
      name: "db-is-innermost",
      severity: "error",
      from: { path: "^src/db/" },
      to: { path: "^src/", pathNot: "^src/(db|generated)/" },
    },
    {
      name: "kernel-is-innermost",
      comment:
        "Errors name catalog keys (a type from messages/i18n); nothing else of the kernel looks outward.",
      severity: "error",
      from: { path: "^src/(clock|errors|config|logger|metrics|within|group-by)\\.ts$" },
      to: {
        path: "^src/",
        pathNot:
          "^src/((clock|errors|config|logger|metrics|within|group-by)\\.ts|generated/|messages/i18n\\.ts$|messages/catalog/)",
      },
    },
    {
      name: "src-stands-alone",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(test|bench|scripts)/" },
    },
  ],
  options: {
    // TypeScript 7 has no compiler API for dependency-cruiser to parse with; swc reads type imports too.
    parser: "swc",
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules|^src/generated/" },
  },
};
