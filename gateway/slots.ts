/**
 * Counted slots per key with a bounded wait: at most `limit` held at once per key; a request over
 * it waits in the key's FIFO line (at most `maxWaiting` long, each wait at most `timeoutMs`) and is
 * handed the next slot released; past either bound it is refused at once. Waiting instead of
 * refusing turns a flood of retries into back-pressure: a refused client that retries at once costs
 * the gateway a refusal per retry, a waiting one costs nothing until its turn.
 */
interface Waiter {
  grant: () => void;
  timer: NodeJS.Timeout;
}

export class Slots {
  readonly #held = new Map<string, number>();
  readonly #waiting = new Map<string, Waiter[]>();

  /**
   * Resolves true with a slot held (release it once), false when refused: the line full, the wait
   * over, or `signal` aborted (the requester went away: it leaves the line and takes no slot).
   */
  acquire(key: string, limit: number, maxWaiting: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    const held = this.#held.get(key) ?? 0;
    if (held < limit) {
      this.#held.set(key, held + 1);
      return Promise.resolve(true);
    }
    const line = this.#waiting.get(key) ?? [];
    if (line.length >= maxWaiting || timeoutMs <= 0) return Promise.resolve(false);
    this.#waiting.set(key, line);
    return new Promise<boolean>((resolve) => {
      const leave = () => {
        clearTimeout(waiter.timer);
        signal?.removeEventListener('abort', leave);
        const i = line.indexOf(waiter);
        if (i >= 0) line.splice(i, 1);
        if (line.length === 0 && this.#waiting.get(key) === line) this.#waiting.delete(key);
        resolve(false);
      };
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(waiter.timer);
          signal?.removeEventListener('abort', leave);
          resolve(true);
        },
        timer: setTimeout(leave, timeoutMs),
      };
      signal?.addEventListener('abort', leave, { once: true });
      line.push(waiter);
    });
  }

  /** Gives a slot back: straight to the first in line when there is one. */
  release(key: string): void {
    const line = this.#waiting.get(key);
    const next = line?.shift();
    if (line && line.length === 0) this.#waiting.delete(key);
    if (next) {
      next.grant();
      return;
    }
    const held = (this.#held.get(key) ?? 0) - 1;
    if (held <= 0) this.#held.delete(key);
    else this.#held.set(key, held);
  }

  held(key: string): number {
    return this.#held.get(key) ?? 0;
  }

  /** Requests waiting in the lines of every key that starts with `prefix`. */
  waiting(prefix: string): number {
    let n = 0;
    for (const [key, line] of this.#waiting) if (key.startsWith(prefix)) n += line.length;
    return n;
  }
}
