// Preloaded into a measured process with `node --import`: at its exit, writes its peak resident set
// size (getrusage's ru_maxrss, in KiB) to the file BENCH_MAX_RSS_FILE names. Plain JavaScript, so
// measuring loads no TypeScript loader into the process measured.
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_MAX_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
