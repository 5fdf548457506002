/**
 * Public API of the local Cloudflare Turnstile emulator.
 */
export { createEmulator, type Emulator, type EmulatorOptions } from "./app";
export { ManualClock, SystemClock, type Clock } from "./clock";
export { createSeededRandom, type RandomSource } from "./random";
export { WidgetStore, GRACE_PERIOD_MS, type RequestCounts, type RotationRecord } from "./store";
export { TOKEN_LIFETIME_MS } from "./visitor-tokens";
export type { RotationView } from "./rotation-log";
export { ROUTE_KEYS, ErrorCodes, type RouteKey, type Widget, type WidgetListItem } from "./types";
export { FAULT_KINDS, GARBLED_BODIES, parseFaultSpec, type FaultKind, type FaultSpec, type GarbledBody } from "./fault-spec";
export { DEFAULT_RATE_LIMIT, type RateLimitConfig } from "./ratelimit";
export { StateFileError, STATE_FORMAT, STATE_VERSION } from "./persistence";
export { TESTING } from "./siteverify";
