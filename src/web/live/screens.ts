import type { EventStream } from "./event-stream.js";

/** An open TV screen: its stream, and the link it was opened with (checked again at each win). */
export interface Screen {
  linkId: number;
  stream: EventStream;
}

/** The screens open on this process, by workspace: a win is sent to its workspace's screens only. */
export function createScreenRegistry() {
  const byWorkspace = new Map<number, Set<Screen>>();
  return {
    /** Adds a screen; the returned function removes it. */
    add(workspaceId: number, screen: Screen): () => void {
      let screens = byWorkspace.get(workspaceId);
      if (!screens) {
        screens = new Set();
        byWorkspace.set(workspaceId, screens);
      }
      screens.add(screen);
      return () => {
        screens.delete(screen);
        if (screens.size === 0 && byWorkspace.get(workspaceId) === screens) byWorkspace.delete(workspaceId);
      };
    },
    of(workspaceId: number): Screen[] {
      return [...(byWorkspace.get(workspaceId) ?? [])];
    },
    get size(): number {
      let n = 0;
      for (const screens of byWorkspace.values()) n += screens.size;
      return n;
    },
    /** Ends every stream: the server is closing, and would otherwise wait for screens that never hang up. */
    closeAll(): void {
      for (const screens of [...byWorkspace.values()]) for (const s of [...screens]) s.stream.close();
      byWorkspace.clear();
    },
  };
}

export type ScreenRegistry = ReturnType<typeof createScreenRegistry>;
