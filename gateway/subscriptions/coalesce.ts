/**
 * Bursts of changes to one entity become one: events for the same tenant, type and id within
 * `windowMs` of the first are merged (changed fields united, the latest time and customer kept), and
 * the merged event is handed on once the window closes.
 */
import type { ChangeEvent, ChangeKind } from '../../cache/events';

const kindOf = (a: ChangeKind, b: ChangeKind): ChangeKind => (a === 'deleted' || b === 'deleted' ? 'deleted' : a === 'created' ? 'created' : b);

export function mergeEvents(a: ChangeEvent, b: ChangeEvent): ChangeEvent {
  return {
    ...b,
    kind: kindOf(a.kind, b.kind),
    changedFields: [...new Set([...a.changedFields, ...b.changedFields])],
    at: a.at > b.at ? a.at : b.at,
    capturedAt: Math.min(a.capturedAt, b.capturedAt),
    ...(a.customer || b.customer ? { customer: { ...a.customer, ...b.customer } } : {}),
  };
}

export class Coalescer {
  readonly #pending = new Map<string, { event: ChangeEvent; timer: NodeJS.Timeout }>();

  constructor(
    private readonly windowMs: number,
    private readonly emit: (event: ChangeEvent) => void,
  ) {}

  add(event: ChangeEvent): void {
    if (this.windowMs <= 0) return this.emit(event);
    const key = `${event.tenant}\u0000${event.type}\u0000${event.id}`;
    const pending = this.#pending.get(key);
    if (pending) {
      pending.event = mergeEvents(pending.event, event);
      return;
    }
    const timer = setTimeout(() => {
      const done = this.#pending.get(key);
      this.#pending.delete(key);
      if (done) this.emit(done.event);
    }, this.windowMs);
    timer.unref();
    this.#pending.set(key, { event, timer });
  }

  /** Drops what waits (at shutdown). */
  clear(): void {
    for (const { timer } of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
  }
}
