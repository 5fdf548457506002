/**
 * Request counters behind `GET /emulator/requests`. Tests prove "no API call"
 * and "exactly one rotation" with them, so a call to a wrong path must count too,
 * and a committed rotation is counted apart from a rotate request.
 */
import type { RouteKey } from "./types";

/** Request counts since start or the last reset. */
export interface RequestCounts {
  /** Every request counted: those of `byRoute` plus `unmatched`. */
  total: number;
  /** Requests that matched a route, refused ones included. */
  byRoute: Partial<Record<RouteKey, number>>;
  /** Requests outside /emulator that matched no route: wrong path, wrong method, malformed path or target. */
  unmatched: number;
  /** `rotate_secret` requests that committed (issued a new secret); refused or pre-commit-faulted ones are not. */
  rotations: number;
}

/** Counts requests per route, unmatched requests and committed rotations. */
export class RequestCounter {
  private byRoute: Partial<Record<RouteKey, number>> = {};
  private unmatched = 0;
  private rotations = 0;

  /** One request that reached `route`. */
  countRoute(route: RouteKey): void {
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1;
  }

  /** One request that matched no route. */
  countUnmatched(): void {
    this.unmatched += 1;
  }

  /** One rotate_secret request that issued a new secret. */
  countRotation(): void {
    this.rotations += 1;
  }

  /** A copy of the counts. */
  counts(): RequestCounts {
    const byRoute = { ...this.byRoute };
    const matched = Object.values(byRoute).reduce((sum, n) => sum + (n ?? 0), 0);
    return { total: matched + this.unmatched, byRoute, unmatched: this.unmatched, rotations: this.rotations };
  }

  /** Back to zero. */
  reset(): void {
    this.byRoute = {};
    this.unmatched = 0;
    this.rotations = 0;
  }
}
