import { Writable } from "node:stream";

/** A stream that keeps what is written to it, as text: a command's stdout or a CSV writer's output. */
export function textCollector(): { stream: Writable; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}
