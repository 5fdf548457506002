/**
 * THE helper every test uses to run the Turnstile emulator: starts it on
 * 127.0.0.1 with an ephemeral port, a frozen (manually advanced) clock and a
 * seeded random source, so runs are deterministic.
 */
import { randomBytes } from "node:crypto";
import {
  createEmulator,
  createSeededRandom,
  ManualClock,
  type Emulator,
  type EmulatorOptions,
  type Widget,
} from "../../emulator";
import { createWidget } from "../../scripts/lib/widgets";

/** Account id used when a test does not pick one (Cloudflare's documentation example). */
export const DEFAULT_ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353";

/** A started emulator plus what a client needs to reach it. */
export interface RunningEmulator {
  emulator: Emulator;
  /** e.g. `http://127.0.0.1:41234` (control routes and siteverify live here). */
  origin: string;
  /** `origin + "/client/v4"`: what the SDK / provider use as base URL. */
  baseUrl: string;
  /** Token valid for every account (always set; `tokens` add account-scoped ones). */
  apiToken: string;
  accountId: string;
  /** Moves the emulator clock forward without sleeping. */
  advanceClock(seconds: number): void;
  /** Closes the server and its connections. */
  stop(): Promise<void>;
}

/**
 * Starts an emulator on 127.0.0.1:0. Defaults: a random apiToken, a ManualClock
 * frozen at the current real time (so timestamps look current), a seeded random
 * source. Any option can be overridden.
 */
export async function startEmulator(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  const apiToken = options.apiToken ?? `test-${randomBytes(16).toString("hex")}`;
  const clock = options.clock ?? new ManualClock(Math.floor(Date.now() / 1000) * 1000);
  const emulator = createEmulator({ random: createSeededRandom(42), ...options, apiToken, clock });
  const { origin, baseUrl } = await emulator.listen(0, "127.0.0.1");
  return {
    emulator, origin, baseUrl, apiToken,
    accountId: DEFAULT_ACCOUNT_ID,
    advanceClock: (seconds) => clock.advance(seconds),
    stop: () => emulator.close(),
  };
}

/** Fields a test may override when creating a widget. */
export type TestWidgetOverrides = Partial<Pick<Widget, "name" | "domains" | "mode" | "bot_fight_mode" |
  "clearance_level" | "ephemeral_id" | "offlabel" | "region">> & { accountId?: string };

/** Creates a widget over HTTP (so it goes through auth and validation) and returns it, secret included. */
export async function createTestWidget(running: RunningEmulator, overrides: TestWidgetOverrides = {}): Promise<Widget> {
  const { accountId = running.accountId, ...fields } = overrides;
  const created = await createWidget(running.baseUrl, running.apiToken, accountId, {
    name: "test widget", domains: ["example.com"], mode: "managed", ...fields,
  });
  return created as unknown as Widget;
}
