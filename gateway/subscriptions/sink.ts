/**
 * One subscriber's pushes, as the async iterator graphql-ws reads. graphql-ws takes the next push
 * only once the previous one has been written to the socket, so a slow client leaves pushes here:
 * only the latest per entity is kept (an older state of the same order is worthless once a newer
 * one is waiting), and a subscriber with more than `maxPending` entities waiting is ended through
 * `onOverflow`, so one slow client never grows memory without bound.
 */
import type { PushResult } from './resolve-push';

export interface SinkOptions {
  /** Distinct entities that may wait; one more ends the subscriber. */
  maxPending: number;
  /** Called once when the subscriber falls too far behind (the server closes its connection). */
  onOverflow: () => void;
  /** Called once when the iterator ends (client completed, connection closed, overflow). */
  onEnd: () => void;
  /** Called as a push leaves for the socket, with the capture time of its change (epoch ms). */
  onSent: (capturedAt: number) => void;
}

interface Pending {
  result: PushResult;
  capturedAt: number;
}

export class SubscriberSink implements AsyncIterableIterator<PushResult> {
  readonly #pending = new Map<string, Pending>();
  #waiter: ((r: IteratorResult<PushResult>) => void) | undefined;
  #done = false;

  constructor(private readonly options: SinkOptions) {}

  get pending(): number {
    return this.#pending.size;
  }

  /** Queues the push of `entity` (replacing an older one not yet sent), or hands it to a waiting reader. */
  push(entity: string, result: PushResult, capturedAt: number): void {
    if (this.#done) return;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      this.options.onSent(capturedAt);
      waiter({ value: result, done: false });
      return;
    }
    this.#pending.delete(entity);
    this.#pending.set(entity, { result, capturedAt });
    if (this.#pending.size > this.options.maxPending) {
      this.#finish();
      this.options.onOverflow();
    }
  }

  next(): Promise<IteratorResult<PushResult>> {
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    const first = this.#pending.entries().next();
    if (!first.done) {
      const [entity, { result, capturedAt }] = first.value;
      this.#pending.delete(entity);
      this.options.onSent(capturedAt);
      return Promise.resolve({ value: result, done: false });
    }
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<PushResult>> {
    this.#finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<PushResult>> {
    return this.return();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<PushResult> {
    return this;
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#pending.clear();
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.({ value: undefined, done: true });
    this.options.onEnd();
  }
}
