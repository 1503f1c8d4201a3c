import { connect, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  /** The port the proxy listens on, on 127.0.0.1; it keeps it across `stop()` and `resume()`. */
  readonly port: number;
  /** A server that is down: the listener closes and open connections are destroyed (ECONNREFUSED). */
  stop(): Promise<void>;
  /**
   * A server that hangs: connections stay open, new ones are accepted, but no byte moves either way
   * (they wait in the sockets' buffers, as with a frozen server or a network partition).
   */
  hang(): void;
  /** Back to forwarding: listening again after `stop()`, bytes held by `hang()` flow on. */
  resume(): Promise<void>;
  /** Stops it for good. */
  close(): Promise<void>;
}

/** A TCP proxy from 127.0.0.1:<free port> to `target`, that a test can stop, hang and resume. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let state: "up" | "hung" | "stopped" = "up";
  const sockets = new Set<Socket>();

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    if (state === "hung") socket.pause();
  };

  const onConnection = (inbound: Socket) => {
    const outbound = connect(target.port, target.host);
    track(inbound);
    track(outbound);
    // By hand rather than pipe(): pipe() resumes a source on drain, which would undo hang().
    for (const [from, to] of [
      [inbound, outbound],
      [outbound, inbound],
    ] as const) {
      from.on("data", (chunk: Buffer) => to.write(chunk));
      from.once("end", () => to.end());
      from.once("close", () => to.destroy());
    }
  };

  let server: Server = createServer(onConnection);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.removeListener("error", reject);
        resolve((server.address() as { port: number }).port);
      });
    });
  const port = await listen(0);

  const closeServer = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  const proxy: TcpProxy = {
    port,
    async stop() {
      state = "stopped";
      const closed = closeServer();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    hang() {
      state = "hung";
      for (const socket of sockets) socket.pause();
    },
    async resume() {
      if (state === "stopped") {
        server = createServer(onConnection);
        await listen(port);
      }
      state = "up";
      for (const socket of sockets) socket.resume();
    },
    close: () => proxy.stop(),
  };
  return proxy;
}
