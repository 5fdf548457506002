/**
 * Fault injection: a queue of faults, each matched by route key (and optionally
 * HTTP method) and applied to the next `times` matching requests. Lets tests
 * reproduce the failures a rotation client must survive: slowness, 5xx, 429,
 * dropped or hung connections, foreign answers, and — the nasty ones — a
 * committed change whose answer is lost, an error, garbled or never sent.
 */
import type { RouteKey } from "./types";
import type { QueuedFault } from "./fault-spec";

export {
  FAULT_KINDS, GARBLED_BODIES, FaultSpecError, parseFaultSpec,
  type FaultKind, type FaultSpec, type GarbledBody, type QueuedFault,
} from "./fault-spec";

/** FIFO of faults; the first one matching a request is consumed. */
export class FaultQueue {
  private faults: QueuedFault[] = [];

  /** Queues a fault (see parseFaultSpec for defaults). */
  add(fault: QueuedFault): void {
    this.faults.push(fault);
  }

  /** Removes every queued fault. */
  clear(): void {
    this.faults = [];
  }

  /** Faults still queued, in order. */
  list(): QueuedFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Takes one use of the first fault matching this request, if any. */
  take(route: RouteKey, method: string): QueuedFault | undefined {
    const index = this.faults.findIndex(
      (f) => (f.route === "*" || f.route === route) && (f.method === undefined || f.method === method.toUpperCase()),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index];
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return { ...fault };
  }
}
