#!/usr/bin/env node
// `npm run build` (and the postinstall step): compiles every file of src/ to dist/ with esbuild, one
// output file per source file, no bundling, so the layout matches src/ and URLs relative to a
// module (src/db/migrate.ts finds ../../prisma/migrations) resolve the same from dist/.
// Then `closer` starts without transpiling TypeScript (bin/closer.js).
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { DIST_DIR, STAMP_FILE, sourceStamp } from "./source-stamp.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const dist = join(root, DIST_DIR);
// Built beside dist/ and renamed into place, so a `closer` starting meanwhile never sees half a build.
const next = join(root, `${DIST_DIR}.next`);

// Taken before compiling: a source saved during the build leaves dist/ stale, not wrongly fresh.
const stamp = sourceStamp(root);

const files = readdirSync(src, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => join(e.parentPath, e.name));
const isDeclaration = (file) => file.endsWith(".d.ts");
const isCompiled = (file) => file.endsWith(".ts") && !isDeclaration(file);

rmSync(next, { recursive: true, force: true });
await build({
  entryPoints: files.filter(isCompiled),
  outbase: src,
  outdir: next,
  bundle: false,
  format: "esm",
  platform: "node",
  target: "node20",
  // The French catalogs stay readable in dist/ rather than \u escapes.
  charset: "utf8",
  // Linked maps cost nothing at start; `node --enable-source-maps bin/closer.js` shows TypeScript lines.
  sourcemap: "linked",
  logLevel: "warning",
});
// Whatever else src/ holds (none today) is read next to its module, so it goes next to the output.
for (const file of files.filter((f) => !isCompiled(f) && !isDeclaration(f))) {
  const to = join(next, relative(src, file));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(file, to);
}
// Generated code is not ours to lint: a nested Biome config keeps `biome check .` out of dist/.
writeFileSync(join(next, "biome.json"), `${JSON.stringify({ root: false, files: { includes: [] } })}\n`);
writeFileSync(join(next, STAMP_FILE), stamp);

rmSync(dist, { recursive: true, force: true });
renameSync(next, dist);
console.log(`closer: compiled ${files.filter(isCompiled).length} files of src/ to ${DIST_DIR}/`);
