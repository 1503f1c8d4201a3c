/**
 * An append-only list that can be awaited: `waitFor` resolves with the first item, existing or
 * future, that matches, or rejects after `timeoutMs` (tests wait for events, never sleep).
 */
export interface Waitable<T> {
  readonly items: T[];
  push(item: T): void;
  waitFor(predicate: (item: T) => boolean, timeoutMs: number, what: string): Promise<T>;
  /** Like waitFor, but only items pushed after this call count. */
  waitForNext(predicate: (item: T) => boolean, timeoutMs: number, what: string): Promise<T>;
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

  function wait(predicate: (item: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `emulator: timed out after ${timeoutMs} ms waiting for ${what} (${describeItems(items)})`,
            ),
          );
        }, timeoutMs),
      };
      waiters.add(waiter);
    });
  }

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
      return found === undefined ? wait(predicate, timeoutMs, what) : Promise.resolve(found);
    },
    waitForNext: wait,
    cancelAll(reason) {
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`emulator: ${reason}`));
      }
      waiters.clear();
    },
  };
  return waitable;
}
