/**
 * The in-flight upstream fetches of one cache, by full cache key (tenant first): single flight
 * within the process. A flight lives from the start of the fetch until its answer has been written
 * to the cache, so a loader that missed the cache meanwhile always finds either the flight or the
 * cached answer. Across replicas there is none: each replica fetches a missing key at most once.
 * @private
 */

/** What one upstream fetch said about one key. */
export type Outcome<V> = { found: true; value: V } | { found: false };

export interface Flight<V> {
  /** Set when the key was invalidated during the fetch: its answer is not written back. */
  invalidated: boolean;
  readonly promise: Promise<Outcome<V>>;
  resolve(outcome: Outcome<V>): void;
  reject(err: unknown): void;
}

export interface SingleFlight {
  /** The flight fetching `key` now, if any (the caller knows the value type of its keys). */
  find<V>(key: string): Flight<V> | undefined;
  /** Registers and returns a new flight for `key` (replacing none: call `find` first). */
  start<V>(key: string): Flight<V>;
  /** Forgets `flight` if it is still the one of `key`. */
  finish(key: string, flight: Flight<unknown>): void;
  /** Marks the flights of the matching keys invalidated and forgets them. */
  forget(matches: (key: string) => boolean): void;
  /** Flights in the air now. */
  readonly size: number;
}

function newFlight<V>(): Flight<V> {
  let resolve!: (outcome: Outcome<V>) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<Outcome<V>>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // its owner and joiners handle the rejection; never "unhandled"
  return { invalidated: false, promise, resolve, reject };
}

export function createSingleFlight(): SingleFlight {
  const flights = new Map<string, Flight<unknown>>();
  return {
    find<V>(key: string): Flight<V> | undefined {
      // Keys carry their entity type, and one type has one value type: the cast holds.
      return flights.get(key) as Flight<V> | undefined;
    },
    start<V>(key: string): Flight<V> {
      const f = newFlight<V>();
      flights.set(key, f as Flight<unknown>);
      return f;
    },
    finish(key, flight) {
      if (flights.get(key) === flight) flights.delete(key);
    },
    forget(matches) {
      for (const [key, f] of flights) {
        if (!matches(key)) continue;
        f.invalidated = true;
        flights.delete(key);
      }
    },
    get size() {
      return flights.size;
    },
  };
}
