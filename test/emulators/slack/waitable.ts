/**
 * An append-only list that can be awaited: `waitFor` resolves with the first item, existing or
 * future, that matches, or rejects after `timeoutMs` (tests wait for events, never sleep).
 */
export interface Waitable<T> {
  readonly items: T[];
  push(item: T): void;
  waitFor(predicate: (item: T) => boolean, timeoutMs: number, what: string): Promise<T>;
  /** Rejects every pending wait (the emulator is closing). */
  cancelAll(reason: string): void;
}

interface Waiter<T> {
  predicate: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export function createWaitable<T>(describeItems: (items: T[]) => string = (items) => `${items.length} seen`) {
  const items: T[] = [];
  const waiters = new Set<Waiter<T>>();

  const waitable: Waitable<T> = {
    items,
    push(item) {
      items.push(item);
      for (const waiter of waiters) {
        if (waiter.predicate(item)) {
          waiters.delete(waiter);
          clearTimeout(waiter.timer);
          waiter.resolve(item);
        }
      }
    },
    waitFor(predicate, timeoutMs, what) {
      const found = items.find(predicate);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise<T>((resolve, reject) => {
        const waiter: Waiter<T> = {
          predicate,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(
              new Error(
                `Slack emulator: timed out after ${timeoutMs} ms waiting for ${what} (${describeItems(items)})`,
              ),
            );
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    cancelAll(reason) {
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`Slack emulator: ${reason}`));
      }
      waiters.clear();
    },
  };
  return waitable;
}
