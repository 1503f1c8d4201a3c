import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, release, totalmem, type } from "node:os";
import { join } from "node:path";
import { DIST_DIR, STAMP_FILE, sourceStamp } from "../../scripts/source-stamp.js";

/** What a benchmark ran on, in one line for its RESULTS.md section. */
export function describeMachine(): string {
  const model = cpus()[0]?.model.trim() ?? "?";
  const ram = (totalmem() / 1024 / 1024).toFixed(0);
  return `${availableParallelism()} CPUs (${model}), ${ram} MB RAM, ${type()} ${release()}; Node ${process.version}`;
}

/** The commit checked out, with `+` when src/ or prisma/ differ from it (read-only git commands). */
export function codeVersion(root: string): string {
  try {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
    const dirty = git("status", "--porcelain", "--", "src", "prisma") ? "+" : "";
    return `${git("rev-parse", "--short", "HEAD")}${dirty}`;
  } catch {
    return "?";
  }
}

/** `npm run build`, as `npm install` leaves dist/: what `bin/closer.js` runs when it matches src/. */
export function buildDist(root: string): void {
  execFileSync(process.execPath, ["scripts/build.js"], { cwd: root, stdio: "inherit" });
}

/** Whether dist/ was built from src/ as it is now (else `bin/closer.js` runs the sources through tsx). */
export function isBuilt(root: string): boolean {
  try {
    return readFileSync(join(root, DIST_DIR, STAMP_FILE), "utf8") === sourceStamp(root);
  } catch {
    return false;
  }
}
