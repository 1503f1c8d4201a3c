import { Agent, request } from "node:http";

/** One connected screen as a benchmark sees it: when its win event arrived. */
export interface BenchScreen {
  /** Resolves with `performance.now()` when the next `win` event arrives. */
  nextWin(): Promise<number>;
  close(): void;
}

/** `n` server-sent event streams on `url`, each resolved once its first `board` event arrived. */
export async function connectScreens(url: string, n: number): Promise<BenchScreen[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  return Promise.all(Array.from({ length: n }, () => connectOne(url, agent)));
}

function connectOne(url: string, agent: Agent): Promise<BenchScreen> {
  return new Promise((resolve, reject) => {
    let waiting: ((at: number) => void) | undefined;
    let ready = false;
    const req = request(url, { agent, headers: { accept: "text/event-stream" } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`screen got ${res.statusCode}`));
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith("event: board") && !ready) {
            ready = true;
            resolve({
              nextWin: () =>
                new Promise<number>((done) => {
                  waiting = done;
                }),
              close: () => req.destroy(),
            });
          }
          if (block.startsWith("event: win")) {
            const done = waiting;
            waiting = undefined;
            done?.(performance.now());
          }
          end = buffer.indexOf("\n\n");
        }
      });
    });
    req.on("error", (error) => {
      if (!ready) reject(error);
    });
    req.end();
  });
}
