import type { Backend } from "../scenario.js";
import type { Child } from "./child.js";

/**
 * How to start Closer so that it counts its SQL statements: `node` flags and environment for
 * `statements-preload.js`, for the driver the backend uses.
 */
export function countStatements(backend: Backend): { args: string[]; env: Record<string, string> } {
  return {
    args: ["--import", new URL("./statements-preload.js", import.meta.url).href],
    env: { BENCH_COUNT_STATEMENTS: backend === "postgres" ? "pg" : "pglite" },
  };
}

/** The statements Closer has sent so far, or undefined when its driver could not be counted. */
export async function statementsSoFar(child: Child): Promise<number | undefined> {
  const line = child.nextLine("bench statements", 5000);
  process.kill(child.pid, "SIGUSR2");
  const n = (await line).statements;
  return typeof n === "number" ? n : undefined;
}
