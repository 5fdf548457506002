/**
 * The services one emulator instance wires together, handed to every route.
 */
import type { Clock } from "./clock";
import type { RandomSource } from "./random";
import type { WidgetStore } from "./store";
import type { FaultQueue } from "./faults";
import type { RateLimiter } from "./ratelimit";
import type { AuthConfig } from "./auth";

/** Shared services of one emulator. */
export interface EmulatorContext {
  store: WidgetStore;
  clock: Clock;
  random: RandomSource;
  faults: FaultQueue;
  rateLimiter: RateLimiter;
  auth: AuthConfig;
}
