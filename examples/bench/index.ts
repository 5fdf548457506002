// The benchmark's program (scripts/bench.ts runs it): `count` resources of one `kind`:
// - `rotation`: TurnstileSecretRotation resources, one per sitekey in `sitekeys` (comma-separated);
// - `noop`: do-nothing dynamic resources (noop.ts), the engine's floor for the same shape;
//   `floorProvider` (inline, the default, or module) picks the form of their provider, and
//   `floorShape` (minimal, the default, or mirror) whether they declare the rotation's outputs.
// Changing `rotationTrigger` rotates (or, for `noop`, updates) all of them.
// Credentials for `rotation`: CLOUDFLARE_API_TOKEN and CLOUDFLARE_BASE_URL (or stack config), or,
// to rotate several accounts each with its own token, the secret config `apiTokens` (comma-separated):
// resource i then uses token i mod k and the account at the same place in `accountId` (comma-separated).
// `invalidateImmediately` (true/false, default false) is passed to every rotation.
import * as pulumi from "@pulumi/pulumi";
import { NoopRotation, noopProvider } from "./noop";

const config = new pulumi.Config();
const kind = config.require("kind");
const count = config.requireNumber("count");
const accountIds = config.require("accountId").split(",");
const rotationTrigger = config.require("rotationTrigger");

if (kind === "rotation") {
  const sitekeys = config.require("sitekeys").split(",").filter((key) => key !== "");
  if (sitekeys.length < count) throw new Error(`config sitekeys names ${sitekeys.length} widgets, count asks for ${count}`);
  // Loaded only here, so the floor's program does not pay for loading the package.
  const { TurnstileSecretRotation } = require("pulumi-turnstile-rotation") as typeof import("pulumi-turnstile-rotation");
  const tokens = config.getSecret("apiTokens")?.apply((text) => text.split(","));
  const tokenCount = accountIds.length;
  const invalidateImmediately = config.getBoolean("invalidateImmediately") ?? false;
  for (let i = 0; i < count; i += 1) {
    const accountId = accountIds[i % tokenCount];
    const apiToken = tokens?.apply((list) => list[i % tokenCount]);
    new TurnstileSecretRotation(`rotation-${i}`, { accountId, sitekey: sitekeys[i], rotationTrigger, ...(invalidateImmediately ? { invalidateImmediately } : {}), ...(apiToken ? { apiToken } : {}) });
  }
} else if (kind === "noop") {
  const shape = config.get("floorShape") ?? "minimal";
  const provider = noopProvider(config.get("floorProvider") ?? "inline", shape);
  for (let i = 0; i < count; i += 1) {
    new NoopRotation(`noop-${i}`, { accountId: accountIds[0], sitekey: `noop-${i}`, rotationTrigger }, provider, shape);
  }
} else {
  throw new Error(`config kind must be rotation or noop, not ${JSON.stringify(kind)}`);
}

export const resources = count;
