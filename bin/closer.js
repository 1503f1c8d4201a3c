#!/usr/bin/env node
// Runs dist/, the sources compiled by `npm install` (scripts/build.js), when it was built from the
// sources as they are now; otherwise the sources themselves through tsx, so an edit to src/ is never
// run stale. Transpiling at start costs about 0.7 s; listing and comparing the stamp about 4 ms.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DIST_DIR, STAMP_FILE, sourceStamp } from "../scripts/source-stamp.js";

const root = fileURLToPath(new URL("..", import.meta.url));

function isBuilt() {
  try {
    return readFileSync(`${root}${DIST_DIR}/${STAMP_FILE}`, "utf8") === sourceStamp(root);
  } catch {
    return false; // never built, or a file vanished while we listed them: the sources are the truth
  }
}

if (isBuilt()) {
  await import(`../${DIST_DIR}/cli/index.js`);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/index.ts");
}
